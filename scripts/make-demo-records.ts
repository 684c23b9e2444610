// Builds demo/records.mrc.gz, the catalog of `tamarack demo`, from the two openly licensed
// sources named in demo/README.md. Deterministic: the same sources give the same bytes.
//
//   npx tsx scripts/make-demo-records.ts [shared-data-dir]   (default /work/shared/data)

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { summariseMarc, type MarcField } from '../src/domain/catalog/marc-fields';
import { decodeIso2709, encodeIso2709, splitIso2709, type RawRecord } from '../src/services/marc/iso2709';
import { sharedDataDir } from '../tests/support/shared-data';

const dataDir = process.argv[2] ?? sharedDataDir;
const demoDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'demo');
const totalRecords = 1500;

function readAll(bytes: Uint8Array, source: string): RawRecord[] {
  return splitIso2709(bytes).map((b, i) => {
    const r = decodeIso2709(b);
    if (!r.ok) throw new Error(`${source} record ${i + 1}: ${r.refusal.message}`);
    return r.value;
  });
}

function subfield(fields: MarcField[], tag: string, code: string): string | undefined {
  return fields.find((f) => f.tag === tag)?.subfields?.find((s) => s.code === code)?.value?.trim();
}

function control(fields: MarcField[], tag: string): string {
  return fields.find((f) => f.tag === tag)?.value?.trim() ?? '';
}

// Koha's own fields (942 item type, 952 items of its sample branches, 999 biblionumber) and its
// $9 authority links mean nothing outside that Koha database.
function withoutKohaLocalData(record: RawRecord): RawRecord {
  return {
    leader: record.leader,
    fields: record.fields
      .filter((f) => !['942', '952', '999'].includes(f.tag))
      .map((f) => (f.subfields ? { ...f, subfields: f.subfields.filter((s) => s.code !== '9') } : f)),
  };
}

// Only the records the Library of Congress catalogued (040 $a DLC) or that carry its control
// number (003 DLC): the rest of the Koha sample comes from commercial sources.
const koha = readAll(readFileSync(join(dataDir, 'koha-sample-marc21/derived/koha-bibs-with-952-items.mrc')), 'koha')
  .filter((r) => subfield(r.fields, '040', 'a') === 'DLC' || control(r.fields, '003') === 'DLC')
  .filter((r) => summariseMarc(r.leader, r.fields).title !== null)
  .map(withoutKohaLocalData);

// ACO records with a subject heading (so that the demo's subject search finds something),
// taken at even steps through the file so that every partner library and decade is present.
const acoAll = readAll(gunzipSync(readFileSync(join(dataDir, 'nyu-aco-marc/aco-bibs.utf8.mrc.gz'))), 'aco').filter((r) => {
  const s = summariseMarc(r.leader, r.fields);
  return s.title !== null && s.subjects.length > 0;
});
const acoWanted = totalRecords - koha.length;
const aco = Array.from({ length: acoWanted }, (_, i) => acoAll[Math.floor((i * acoAll.length) / acoWanted)]);

const records = [...koha.map((r) => ({ source: 'koha', r })), ...aco.map((r) => ({ source: 'aco', r }))];
const seen = new Set<string>();
for (const { r } of records) {
  const key = `${control(r.fields, '003')}|${control(r.fields, '001')}`;
  if (control(r.fields, '003') && seen.has(key)) throw new Error(`duplicate control number ${key}`);
  seen.add(key);
}

const gz = gzipSync(Buffer.concat(records.map(({ r }) => encodeIso2709(r))), { level: 9 });
writeFileSync(join(demoDir, 'records.mrc.gz'), gz);
const manifest = ['position\tsource\t003\t001', ...records.map(({ source, r }, i) => `${i + 1}\t${source}\t${control(r.fields, '003')}\t${control(r.fields, '001')}`)];
writeFileSync(join(demoDir, 'records-manifest.tsv'), `${manifest.join('\n')}\n`);

const by003 = new Map<string, number>();
for (const r of aco) by003.set(control(r.fields, '003'), (by003.get(control(r.fields, '003')) ?? 0) + 1);
console.log(`koha-sample-marc21 (LoC): ${koha.length}; nyu-aco-marc: ${aco.length} of ${acoAll.length} with subjects`);
console.log(`ACO by 003: ${[...by003].map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`wrote demo/records.mrc.gz (${gz.length} bytes, ${records.length} records) and demo/records-manifest.tsv`);
