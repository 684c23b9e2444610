import { barcodeProblem, type EmbeddedItem, type ImportedItemStatus } from './item-profiles';
import { identityKeys, matchRecord, type KnownKeys, type RecordIdentity } from './record-identity';

// What importing a batch of MARC records does, decided from what the catalog already holds:
// which records are new, which update a record imported before, which are the same as before,
// which items to add and where, and what to report. Plain data in, a plan out.

export interface ImportCandidate {
  /** 1-based place of the record in its file. */
  position: number;
  /** Its digest is also how an unchanged record is told from an update. */
  identity: RecordIdentity;
  items: EmbeddedItem[];
  /** The call number for items that bring none (from the record's class number). */
  suggestedCallNumber: string;
}

export interface ItemLibrary {
  id: number;
  code: string;
  kind: string;
}

export interface ImportRules {
  /** Member libraries by upper-case code. */
  libraries: ReadonlyMap<string, ItemLibrary>;
  /** Owner of items whose field names no library of the consortium (`--library`). */
  fallbackLibrary: ItemLibrary | null;
  /** A cataloger adds items of their own library only; null when any library will do. */
  onlyLibrary: { id: number; code: string } | null;
}

export interface CatalogState {
  known: KnownKeys;
  /** The digest of the stored MARC of each matched record. */
  marcDigestOf: ReadonlyMap<number, string | null>;
}

export interface PlannedItem {
  position: number;
  /** Its place among the record's item fields. */
  item: number;
  /** The record it joins; null for the record created at `position` in this batch. */
  recordId: number | null;
  libraryId: number;
  callNumber: string;
  barcode: string;
  location: string | null;
  itemType: string | null;
  status: ImportedItemStatus;
  circulates: boolean;
  holdable: boolean;
  catalogedAt: string | null;
}

export interface ImportError {
  /** The record's place in the file. */
  record: number;
  /** For an item not imported: its place among the record's item fields, and its barcode. */
  item?: number;
  barcode?: string;
  message: string;
}

export interface ImportPlan {
  created: number[];
  updated: { position: number; id: number }[];
  unchanged: { position: number; id: number }[];
  /** Repeats of a record met earlier in this batch: planned again once that one is stored. */
  deferred: number[];
  items: PlannedItem[];
  errors: ImportError[];
}

function libraryFor(item: EmbeddedItem, rules: ImportRules): ItemLibrary | string {
  const named = item.libraryCode ? rules.libraries.get(item.libraryCode.toUpperCase()) : undefined;
  if (named?.kind === 'library') return named;
  if (rules.fallbackLibrary) return rules.fallbackLibrary;
  if (named) return `${named.code} is a system and holds no items; give one of its branches with --library (?library=)`;
  const field = `${item.tag}`;
  return item.libraryCode
    ? `"${item.libraryCode}" (${field}) is not a library of the consortium, and no default library was given (--library, ?library=)`
    : `its ${field} names no library, and no default library was given (--library, ?library=)`;
}

function planItems(candidate: ImportCandidate, recordId: number | null, state: CatalogState, rules: ImportRules, seen: Set<string>, plan: ImportPlan): void {
  for (const [index, item] of candidate.items.entries()) {
    const fail = (why: string): void => {
      plan.errors.push({ record: candidate.position, item: index + 1, ...(item.barcode ? { barcode: item.barcode } : {}), message: `Item ${item.barcode ?? '(no barcode)'} not imported: ${why}.` });
    };
    const problem = barcodeProblem(item.barcode);
    if (problem || item.barcode === null) {
      fail(problem ?? 'it has no barcode');
      continue;
    }
    const owner = state.known.byBarcode.get(item.barcode);
    // already imported with this record: nothing to do, and nothing to report
    if (owner !== undefined && owner === recordId) continue;
    if (owner !== undefined) {
      fail(`barcode ${item.barcode} is already on an item of record ${owner}`);
      continue;
    }
    if (seen.has(item.barcode)) {
      fail(`barcode ${item.barcode} appears twice in this file`);
      continue;
    }
    if (item.withdrawn) {
      fail('it is marked withdrawn');
      continue;
    }
    const library = libraryFor(item, rules);
    if (typeof library === 'string') {
      fail(library);
      continue;
    }
    if (rules.onlyLibrary && rules.onlyLibrary.id !== library.id) {
      fail(`it belongs to ${library.code}, and you add items to ${rules.onlyLibrary.code} only`);
      continue;
    }
    seen.add(item.barcode);
    plan.items.push({
      position: candidate.position,
      item: index + 1,
      recordId,
      libraryId: library.id,
      callNumber: item.callNumber ?? candidate.suggestedCallNumber,
      barcode: item.barcode,
      location: item.location,
      itemType: item.itemType,
      status: item.status,
      circulates: item.circulates,
      holdable: item.holdable,
      catalogedAt: item.catalogedAt,
    });
  }
}

export function planImport(candidates: readonly ImportCandidate[], state: CatalogState, rules: ImportRules): ImportPlan {
  const plan: ImportPlan = { created: [], updated: [], unchanged: [], deferred: [], items: [], errors: [] };
  const keysInBatch = new Set<string>();
  const barcodesInBatch = new Set<string>();
  for (const candidate of candidates) {
    const keys = identityKeys(candidate.identity);
    if (keys.some((k) => keysInBatch.has(k))) {
      plan.deferred.push(candidate.position);
      continue;
    }
    for (const k of keys) keysInBatch.add(k);
    const id = matchRecord(candidate.identity, state.known);
    if (id === null) plan.created.push(candidate.position);
    else if (state.marcDigestOf.get(id) === candidate.identity.digest) plan.unchanged.push({ position: candidate.position, id });
    else plan.updated.push({ position: candidate.position, id });
    planItems(candidate, id, state, rules, barcodesInBatch, plan);
  }
  return plan;
}
