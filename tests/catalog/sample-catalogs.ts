import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import type { MarcField } from '../../src/domain/catalog/marc-fields';
import { encodeIso2709, decodeIso2709, splitIso2709 } from '../../src/services/marc/iso2709';
import { sharedData } from '../support/shared-data';
import { testDatabaseKind } from '../support/test-database-kind';
import type { ApiResponse, Caller, TestApp } from '../support/test-app';

// The real catalogs of ../shared/data as the catalog tests load them, through POST /records/import.

export const kohaFile = sharedData('koha-sample-marc21', 'derived', 'koha-bibs-with-952-items.mrc');
export const kohaXmlFile = sharedData('koha-sample-marc21', 'derived', 'koha-bibs-with-952-items.marcxml');
export const jazzFile = sharedData('evergreen-marc-testsets', 'original', 'jazz_1k.mrc');
export const acoFile = sharedData('nyu-aco-marc', 'aco-bibs.utf8.mrc.gz');

/** The libraries the Koha sample (952 $a) and the Evergreen jazz set (949 $m) name. */
export const sampleLibraries = [
  { code: 'CPL', name: 'Centerville' },
  { code: 'MPL', name: 'Midway' },
  { code: 'FPL', name: 'Fairview' },
  { code: 'HUNTINGTON', name: 'Huntington' },
  { code: 'DESMARAIS', name: 'Desmarais' },
];

export async function createSampleLibraries(admin: Caller): Promise<void> {
  for (const library of sampleLibraries) {
    const res = await admin.post('/libraries', library);
    if (res.status !== 201) throw new Error(`could not create library ${library.code}: ${res.text}`);
  }
}

/** The whole ACO set is heavy on the embedded database: all 13,697 records only when asked or on PostgreSQL. */
export function fullImports(): boolean {
  return process.env.TAMARACK_FULL_IMPORTS === '1' || testDatabaseKind() === 'postgres';
}

/** The first `count` records of the ACO set (all of them when `count` is undefined), as ISO 2709. */
export function acoRecords(count?: number): Buffer {
  const all = gunzipSync(readFileSync(acoFile));
  if (count === undefined) return all;
  return Buffer.concat(splitIso2709(all).slice(0, count).map((r) => Buffer.concat([r, Buffer.from([0x1d])])));
}

export const acoSubsetSize = 1500;

/** One record of a file rewritten (a changed title, an added item), for re-import tests. */
export function rewriteRecord(file: Buffer, position: number, change: (fields: ReturnType<typeof decoded>['fields']) => void): Buffer {
  const records = splitIso2709(file);
  const record = decoded(records[position - 1]);
  change(record.fields);
  records[position - 1] = encodeIso2709(record).subarray(0, -1);
  return Buffer.concat(records.map((r) => Buffer.concat([r, Buffer.from([0x1d])])));
}

function decoded(bytes: Uint8Array) {
  const r = decodeIso2709(bytes);
  if (!r.ok) throw new Error(r.refusal.message);
  return r.value;
}

export async function importFile(caller: Caller, bytes: Buffer, query = '', contentType = 'application/marc'): Promise<ApiResponse> {
  return caller.request({ method: 'POST', url: `/api/v1/records/import${query}`, payload: bytes, headers: { 'content-type': contentType } });
}

export async function count(t: TestApp, table: 'records' | 'items' | 'volumes' | 'events', where = 'true'): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.raw(where)}`.execute(t.connection.db);
  return rows[0].n;
}

export interface TestItem {
  library?: string;
  barcode?: string;
  callNumber?: string;
  location?: string;
}

/** A small MARC record of our own making, with Koha 952 items, as ISO 2709 bytes. */
export function testRecord(r: { id?: string; source?: string; title: string; author?: string; isbn?: string; subject?: string; items?: TestItem[]; leader?: string; extra?: MarcField[] }): Buffer {
  const df = (tag: string, subfields: [string, string | undefined][], ind1 = ' ', ind2 = ' '): MarcField => ({
    tag,
    ind1,
    ind2,
    subfields: subfields.filter((s): s is [string, string] => s[1] !== undefined).map(([code, value]) => ({ code, value })),
  });
  const fields: MarcField[] = [
    ...(r.id ? [{ tag: '001', value: r.id }] : []),
    ...(r.source ? [{ tag: '003', value: r.source }] : []),
    { tag: '008', value: '120829s2013    nyu           000 0 eng d' },
    ...(r.isbn ? [df('020', [['a', r.isbn]])] : []),
    ...(r.author ? [df('100', [['a', r.author]], '1')] : []),
    df('245', [['a', r.title]], '1', '0'),
    df('264', [['a', 'Bangor :'], ['b', 'Tamarack Press,'], ['c', '2013.']], ' ', '1'),
    ...(r.subject ? [df('650', [['a', r.subject]], ' ', '0')] : []),
    ...(r.extra ?? []),
    ...(r.items ?? []).map((i) => df('952', [['a', i.library], ['c', i.location], ['o', i.callNumber], ['p', i.barcode]])),
  ];
  return encodeIso2709({ leader: r.leader ?? '00000nam a2200000 a 4500', fields });
}

export function marcFile(...records: Buffer[]): Buffer {
  return Buffer.concat(records);
}
