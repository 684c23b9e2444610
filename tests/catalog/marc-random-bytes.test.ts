import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffActor } from '../../src/domain/actor';
import { importMarc, type ImportSummary } from '../../src/services/catalog-import/import-marc';
import { parseMarcXml } from '../../src/services/marc/read-marc';
import { createFixtureLibraries } from '../support/fixture';
import { briefReporter } from '../support/fuzz-report';
import { asMarcXml, damagedFile, realRecords, type DamagedFile } from '../support/marc-damage';
import type { ReadOutcome } from '../support/marc-read-worker';
import { createTestApp, type TestApp } from '../support/test-app';

// The MARC import (the service behind `tamarack import` and POST /records/import) fed damaged
// files: it never throws, never hangs, answers each file with a clear refusal or a summary that
// accounts for every record, and stores only whole records with their items and events.
// TAMARACK_MARC_FUZZ_CASES files (quick by default); each bounded by caseSeconds.
const cases = Number(process.env.TAMARACK_MARC_FUZZ_CASES ?? 60);
const caseSeconds = 30;

let t: TestApp;
let actor: StaffActor;
let reader: Worker;
const { source, records: pool } = realRecords();
const xml = asMarcXml(pool.slice(0, 12));
const seen = new Map<string, number>();
/** What the damaged files came to: each path of the importer taken, not only the refusal. */
const outcomes = { refusedFiles: 0, imported: 0, updated: 0, recordErrors: 0, items: 0 };

beforeAll(async () => {
  // the fixture's libraries only: items name A, or nothing and go to A
  t = await createTestApp();
  await createFixtureLibraries(await t.admin());
  const admin = await t.connection.db.selectFrom('staff').select(['id', 'username']).where('username', '=', 'admin').executeTakeFirstOrThrow();
  actor = { kind: 'staff', staffId: admin.id, username: admin.username, role: 'consortium-admin', libraryId: null, libraryCode: 'CONS' };
  reader = startReader();
});
afterAll(async () => {
  await reader?.terminate();
  await t?.close();
});

// A worker thread runs plain Node, which cannot load TypeScript: tsx is registered in it first.
function startReader(): Worker {
  const file = new URL('../support/marc-read-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file)}); });`, { eval: true });
}

/** Reads the file in the reader thread; a reader still busy after caseSeconds is stopped and reported. */
function readBounded(file: DamagedFile): Promise<ReadOutcome> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void reader.terminate();
      reader = startReader();
      reject(new Error(`reading a ${file.kind} file of ${file.bytes.length} bytes did not end within ${caseSeconds} s: ${file.bytes.subarray(0, 200).toString('latin1')}`));
    }, caseSeconds * 1000);
    const settle = (outcome: ReadOutcome | Error) => {
      clearTimeout(timer);
      reader.off('message', settle);
      reader.off('error', settle);
      if (outcome instanceof Error) {
        reader = startReader();
        reject(new Error(`reading a ${file.kind} file threw: ${outcome.stack}`));
      } else resolve(outcome);
    };
    reader.on('message', settle);
    reader.on('error', settle);
    reader.postMessage(file.bytes);
  });
}

function withinTime<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${caseSeconds} s`)), caseSeconds * 1000);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

interface CatalogCounts {
  records: number;
  items: number;
  created: number;
  updated: number;
  itemEvents: number;
  lastRecord: number;
}

async function catalogCounts(): Promise<CatalogCounts> {
  const { rows } = await sql<CatalogCounts>`SELECT
      (SELECT count(*)::int FROM records) AS records,
      (SELECT count(*)::int FROM items) AS items,
      (SELECT count(*)::int FROM events WHERE kind = 'record-created') AS created,
      (SELECT count(*)::int FROM events WHERE kind = 'record-updated') AS updated,
      (SELECT count(*)::int FROM events WHERE kind = 'item-created') AS "itemEvents",
      (SELECT coalesce(max(id), 0)::int FROM records) AS "lastRecord"`.execute(t.connection.db);
  return rows[0];
}

/** Every record read is imported, updated, unchanged or listed with the reason it was not. */
function expectAccounted(summary: ImportSummary, read: ReadOutcome, what: string): void {
  outcomes.imported += summary.imported;
  outcomes.updated += summary.updated;
  outcomes.items += summary.items;
  outcomes.recordErrors += summary.errorCount;
  expect(summary.records, what).toBe(read.records);
  const refusedRecords = new Set(summary.errors.filter((e) => e.item === undefined).map((e) => e.record)).size;
  expect(summary.imported + summary.updated + summary.unchanged + refusedRecords, what).toBe(summary.records);
  for (const error of summary.errors) expect(error.message, what).toEqual(expect.stringMatching(/\S/));
}

async function expectWhole(before: CatalogCounts, summary: ImportSummary | null, what: string): Promise<void> {
  const after = await catalogCounts();
  expect(after.records - before.records, what).toBe(summary?.imported ?? 0);
  expect(after.created - before.created, what).toBe(summary?.imported ?? 0);
  expect(after.updated - before.updated, what).toBe(summary?.updated ?? 0);
  expect(after.items - before.items, what).toBe(summary?.items ?? 0);
  expect(after.itemEvents - before.itemEvents, what).toBe(summary?.items ?? 0);
  const added = await t.connection.db.selectFrom('records').select(['id', 'title', 'marc']).where('id', '>', before.lastRecord).execute();
  for (const record of added) {
    expect(record.title.trim(), what).not.toBe('');
    expect(record.title, what).not.toContain('\u0000');
    expect(parseMarcXml(record.marc ?? '').ok, `${what}: stored MARCXML of record ${record.id} reads back`).toBe(true);
  }
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM volumes v WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.volume_id = v.id)`.execute(t.connection.db);
  expect(rows[0].n, `${what}: volumes without items`).toBe(0);
}

async function importOnce(file: DamagedFile, overHttp: boolean): Promise<void> {
  const what = `${file.kind} (${file.bytes.length} bytes, starting ${JSON.stringify(file.bytes.subarray(0, 60).toString('latin1'))})`;
  seen.set(file.kind, (seen.get(file.kind) ?? 0) + 1);
  const read = await readBounded(file);
  const before = await catalogCounts();
  if (overHttp) {
    const admin = await t.admin();
    const res = await withinTime(admin.request({ method: 'POST', url: '/api/v1/records/import?items=koha&library=A', payload: file.bytes, headers: { 'content-type': 'application/octet-stream' } }), what);
    expect([200, 400], `${what}: ${res.text.slice(0, 300)}`).toContain(res.status);
    if (res.status === 400) outcomes.refusedFiles++;
    if (res.status === 400) expect(res.body.error, what).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/\S/) });
    else expectAccounted(res.body, read, what);
    return expectWhole(before, res.status === 200 ? res.body : null, what);
  }
  const result = await withinTime(importMarc({ db: t.connection.db, clock: t.clock, actor }, file.bytes, { items: 'koha', library: 'A', source: 'damaged' }), what);
  expect(result.ok, what).toBe(read.ok);
  if (!result.ok) {
    outcomes.refusedFiles++;
    expect(result.refusal, what).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/\S/) });
    return expectWhole(before, null, what);
  }
  expectAccounted(result.value, read, what);
  await expectWhole(before, result.value, what);
}

describe(`MARC import of damaged files (${cases} files from ${source})`, () => {
  it('reads the undamaged records, so damage is all that differs', async () => {
    const file = { kind: 'undamaged', bytes: Buffer.concat(pool.slice(0, 5)) };
    const read = await readBounded(file);
    expect(read).toMatchObject({ ok: true, records: 5, read: 5 });
  });

  it('never throws, never hangs, and stores whole records only', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(damagedFile(pool, xml), async (file) => importOnce(file, n++ % 10 === 0)),
      { numRuns: cases, endOnFailure: true, reporter: briefReporter },
    );
    console.info(`damaged MARC files: ${JSON.stringify(outcomes)}; ${[...seen].map(([kind, count]) => `${kind} ${count}`).join(', ')}`);
    if (cases >= 60) {
      // every kind of damage was tried, and files were refused, read in part and read whole
      expect(seen.size).toBeGreaterThanOrEqual(10);
      expect(outcomes.refusedFiles).toBeGreaterThan(0);
      expect(outcomes.recordErrors).toBeGreaterThan(0);
      expect(outcomes.imported + outcomes.updated).toBeGreaterThan(0);
    }
  }, 3_600_000);
});
