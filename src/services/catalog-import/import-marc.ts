import { sql } from 'kysely';
import { requireOwnLibrary, requireStaff } from '../../domain/actor';
import { planImport, type ImportCandidate, type ImportError, type ImportRules, type ItemLibrary } from '../../domain/catalog/import-plan';
import type { ItemProfile } from '../../domain/catalog/item-profiles';
import { invalid, ok, type Result } from '../../domain/refusal';
import { recordEvent } from '../../db/events';
import { actorEventFields, type ServiceContext, type Tx } from '../context';
import { openMarcFile } from '../marc/marc-file';
import { readMarcRecord, type ParsedMarcRecord } from '../marc/read-marc';
import { applyImportPlan, mergeSearchIndexes, type ApplyContext } from './import-apply';
import { candidateOf } from './import-candidates';
import { loadCatalogState } from './import-state';

// `tamarack import` and POST /records/import: a file of MARC records into the catalog, with
// the items embedded in them. Batches of records each in one transaction (load what the
// catalog holds under their keys, plan, apply with event rows); a batch that fails is retried
// record by record, so one bad record is reported and skipped and never stops the file.

export interface ImportOptions {
  /** How items are embedded (952, 949, 852); none are imported without one. */
  items?: ItemProfile | null;
  /** Owning library of items whose field names no library of the consortium. */
  library?: string;
  /** Where the records came from, for the event rows (a file name). */
  source?: string;
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportSummary {
  /** Records in the file, read or not. */
  records: number;
  imported: number;
  updated: number;
  unchanged: number;
  items: number;
  errors: ImportError[];
  /** All errors, when `errors` lists only the first ones. */
  errorCount: number;
  /** Records imported with a loss, e.g. bytes that were not valid UTF-8. */
  warnings: ImportError[];
  /** Item fields met but not imported because no profile was chosen, by tag. */
  ignoredItemFields: Record<string, number>;
}

const listed = 1000;
const defaultBatch = 500;

/** What `importBatch` did, for the summary. */
export interface BatchResult {
  created: number;
  updated: number;
  unchanged: number;
  items: number;
  errors: ImportError[];
  deferred: number[];
  recordIds: Map<number, number>;
}

/** One batch inside the caller's transaction: load, plan, apply. The demo seed calls it directly. */
export async function importBatch(trx: Tx, ctx: ApplyContext, records: readonly ParsedMarcRecord[], candidates: readonly ImportCandidate[], rules: ImportRules): Promise<BatchResult> {
  // New words wait in the search indexes' pending lists, merged in bigger (cheaper) runs; the
  // import merges what is left when it ends (mergeSearchIndexes).
  await sql`SET LOCAL gin_pending_list_limit = '32MB'`.execute(trx);
  const state = await loadCatalogState(trx, candidates);
  const plan = planImport(candidates, state, rules);
  const applied = await applyImportPlan(trx, ctx, new Map(records.map((r) => [r.position, r])), plan);
  return {
    created: plan.created.length,
    updated: plan.updated.length,
    unchanged: plan.unchanged.length,
    items: applied.items,
    errors: [...plan.errors, ...applied.errors],
    deferred: plan.deferred,
    recordIds: applied.recordIds,
  };
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 200);
}

export async function importMarc(ctx: ServiceContext, bytes: Uint8Array, options: ImportOptions = {}): Promise<Result<ImportSummary>> {
  const staff = requireStaff(ctx.actor, 'cataloger');
  if (!staff.ok) return staff;
  const libraryRows = await ctx.db.selectFrom('libraries').select(['id', 'code', 'kind', 'timezone']).execute();
  const libraries = new Map<string, ItemLibrary>(libraryRows.map((l) => [l.code.toUpperCase(), l]));
  let fallbackLibrary: ItemLibrary | null = null;
  if (options.library !== undefined) {
    fallbackLibrary = libraries.get(options.library.toUpperCase()) ?? null;
    if (!fallbackLibrary) return invalid('library', `There is no library with code ${options.library}.`);
    if (fallbackLibrary.kind !== 'library') return invalid('library', `${fallbackLibrary.code} is a system and holds no items: give one of its branches.`);
    const own = requireOwnLibrary(staff.value, fallbackLibrary.id, fallbackLibrary.code);
    if (!own.ok) return own;
  }
  const file = openMarcFile(bytes);
  if (!file.ok) return file;
  const rules: ImportRules = {
    libraries,
    fallbackLibrary,
    onlyLibrary: staff.value.role === 'consortium-admin' || staff.value.libraryId === null ? null : { id: staff.value.libraryId, code: staff.value.libraryCode },
  };
  const source = options.source ?? 'import';
  const applyContext: ApplyContext = { ...ctx, timezones: new Map(libraryRows.map((l) => [l.id, l.timezone])), libraryId: staff.value.libraryId, source };
  const profile = options.items ?? null;
  const { pieces } = file.value;
  const summary: ImportSummary = { records: pieces.length, imported: 0, updated: 0, unchanged: 0, items: 0, errors: [], errorCount: 0, warnings: [], ignoredItemFields: {} };
  const report = (error: ImportError): void => {
    summary.errorCount++;
    if (summary.errors.length < listed) summary.errors.push(error);
  };

  const runBatch = async (batch: ParsedMarcRecord[]): Promise<ParsedMarcRecord[]> => {
    if (batch.length === 0) return [];
    const candidates = batch.map((r) => candidateOf(r, profile));
    try {
      const result = await ctx.db.transaction().execute((trx) => importBatch(trx, applyContext, batch, candidates, rules));
      summary.imported += result.created;
      summary.updated += result.updated;
      summary.unchanged += result.unchanged;
      summary.items += result.items;
      result.errors.forEach(report);
      const deferred = new Set(result.deferred);
      return batch.filter((r) => deferred.has(r.position));
    } catch (error) {
      if (batch.length === 1) {
        report({ record: batch[0].position, message: `The record could not be stored: ${describe(error)}` });
        return [];
      }
      // find the record the database refused: each of the others goes in on its own
      for (const record of batch) await runBatch([record]);
      return [];
    }
  };

  const batchSize = Math.max(1, options.batchSize ?? defaultBatch);
  let next = 0;
  const readBatch = async (): Promise<ParsedMarcRecord[]> => {
    const batch: ParsedMarcRecord[] = [];
    while (batch.length < batchSize && next < pieces.length) {
      // now and then let the batch being stored send its next statement
      if (next % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      const read = readMarcRecord(pieces[next], next + 1);
      next++;
      if (!read.ok) {
        report({ record: next, message: read.refusal.message });
        continue;
      }
      for (const warning of read.value.warnings) if (summary.warnings.length < listed) summary.warnings.push({ record: next, message: warning });
      if (profile === null) for (const f of read.value.itemFields) summary.ignoredItemFields[f.tag] = (summary.ignoredItemFields[f.tag] ?? 0) + 1;
      batch.push(read.value);
    }
    return batch;
  };
  // The next batch is read while the database stores the previous one (on a server they run side
  // by side); records deferred by one batch lead the next.
  let storing: Promise<ParsedMarcRecord[]> = Promise.resolve([]);
  let doneBefore = 0;
  while (next < pieces.length) {
    const batch = await readBatch();
    const carried = await storing;
    options.onProgress?.({ done: doneBefore, total: pieces.length });
    doneBefore = next;
    storing = runBatch([...carried, ...batch]);
    // awaited on the next turn; until then a failure must not count as unhandled
    storing.catch(() => undefined);
  }
  for (let carried = await storing; carried.length > 0; carried = await runBatch(carried));
  options.onProgress?.({ done: pieces.length, total: pieces.length });

  if (summary.imported + summary.updated > 0) await mergeSearchIndexes(ctx.db);
  // in file order: a record's reading errors come at once, its items' after its batch is stored
  summary.errors.sort((a, b) => a.record - b.record || (a.item ?? 0) - (b.item ?? 0));
  await recordEvent(ctx.db, {
    at: ctx.clock.now(),
    kind: 'records-imported',
    library_id: staff.value.libraryId,
    ...actorEventFields(ctx.actor),
    data: { source, itemProfile: profile, records: summary.records, imported: summary.imported, updated: summary.updated, unchanged: summary.unchanged, items: summary.items, errors: summary.errorCount },
  });
  return ok(summary);
}
