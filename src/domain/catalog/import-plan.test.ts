import { describe, expect, it } from 'vitest';
import { planImport, type CatalogState, type ImportCandidate, type ImportRules } from './import-plan';
import type { EmbeddedItem } from './item-profiles';
import { matchRecord, type KnownKeys, type RecordIdentity } from './record-identity';

const none: KnownKeys = { byControl: new Map(), byBareNumber: new Map(), bySystemNumber: new Map(), byBarcode: new Map(), byDigest: new Map() };
const identity = (extra: Partial<RecordIdentity> = {}): RecordIdentity => ({ controlNumber: null, controlSource: null, systemNumbers: [], barcodes: [], digest: 'd0', ...extra });

describe('matchRecord', () => {
  const known: KnownKeys = {
    byControl: new Map([['DLC\u000112345', 1]]),
    byBareNumber: new Map([['a353305', 2]]),
    bySystemNumber: new Map([['(OCoLC)61231154', 3]]),
    byBarcode: new Map([['39999', 4]]),
    byDigest: new Map([['same-marc', 5]]),
  };
  it.each<[string, Partial<RecordIdentity>, number | null]>([
    ['001 + 003', { controlNumber: '12345', controlSource: 'DLC' }, 1],
    ['001 + 003 of another catalog is another record, whatever its 035', { controlNumber: '12345', controlSource: 'NNU', systemNumbers: ['(OCoLC)61231154'] }, null],
    ['001 alone, against records without 003', { controlNumber: 'a353305' }, 2],
    ['001 alone unknown, then its 035', { controlNumber: 'zzz', systemNumbers: ['(OCoLC)61231154'] }, 3],
    ['no number: an item barcode', { barcodes: ['39999'] }, 4],
    ['a number that matches nothing is a new record, even with a known barcode', { controlNumber: 'zzz', barcodes: ['39999'] }, null],
    ['nothing at all: the same MARC', { digest: 'same-marc' }, 5],
    ['nothing at all, other MARC: new', { digest: 'other' }, null],
  ])('%s', (_name, extra, expected) => {
    expect(matchRecord(identity(extra), known)).toBe(expected);
  });
});

const item = (extra: Partial<EmbeddedItem>): EmbeddedItem => ({
  tag: '952',
  barcode: 'b1',
  libraryCode: 'A',
  callNumber: null,
  location: null,
  itemType: null,
  status: 'available',
  circulates: true,
  holdable: true,
  catalogedAt: null,
  withdrawn: false,
  ...extra,
});
const candidate = (position: number, extra: Partial<ImportCandidate> = {}): ImportCandidate => ({
  position,
  identity: identity({ controlNumber: `n${position}`, controlSource: 'X', digest: `d${position}` }),
  items: [],
  suggestedCallNumber: 'FIC ABC',
  ...extra,
});
const rules: ImportRules = {
  libraries: new Map([
    ['A', { id: 1, code: 'A', kind: 'library' }],
    ['B', { id: 2, code: 'B', kind: 'library' }],
    ['S', { id: 3, code: 'S', kind: 'system' }],
  ]),
  fallbackLibrary: null,
  onlyLibrary: null,
};
const empty: CatalogState = { known: none, marcDigestOf: new Map() };

describe('planImport', () => {
  it('creates new records, updates changed ones and leaves identical ones alone', () => {
    const state: CatalogState = { known: { ...none, byControl: new Map([['X\u0001n2', 20], ['X\u0001n3', 30]]) }, marcDigestOf: new Map([[20, 'old'], [30, 'd3']]) };
    const plan = planImport([candidate(1), candidate(2), candidate(3)], state, rules);
    expect(plan).toMatchObject({ created: [1], updated: [{ position: 2, id: 20 }], unchanged: [{ position: 3, id: 30 }], deferred: [], errors: [] });
  });

  it('defers a record repeated in the batch until the first is stored', () => {
    const plan = planImport([candidate(1), candidate(2, { identity: identity({ controlNumber: 'n1', controlSource: 'X' }) })], empty, rules);
    expect(plan).toMatchObject({ created: [1], deferred: [2] });
  });

  it('places items at their library, else the default one, and says why it cannot', () => {
    const items = [
      item({ barcode: 'ok', libraryCode: 'a', callNumber: '818 THO' }),
      item({ barcode: 'unknown', libraryCode: 'ZZ' }),
      item({ barcode: 'system', libraryCode: 'S' }),
      item({ barcode: null }),
      item({ barcode: 'gone', withdrawn: true }),
      item({ barcode: 'ok' }),
    ];
    const plan = planImport([candidate(1, { items })], empty, rules);
    expect(plan.items).toEqual([expect.objectContaining({ barcode: 'ok', item: 1, libraryId: 1, callNumber: '818 THO', recordId: null })]);
    expect(plan.errors.map((e) => [e.item, e.message])).toEqual([
      [2, expect.stringMatching(/"ZZ" \(952\) is not a library/u)],
      [3, expect.stringMatching(/S is a system/u)],
      [4, expect.stringMatching(/no barcode/u)],
      [5, expect.stringMatching(/withdrawn/u)],
      [6, expect.stringMatching(/appears twice/u)],
    ]);
    const fallback = planImport([candidate(1, { items: items.slice(1, 3) })], empty, { ...rules, fallbackLibrary: { id: 2, code: 'B', kind: 'library' } });
    expect(fallback.items.map((i) => [i.barcode, i.libraryId, i.callNumber])).toEqual([
      ['unknown', 2, 'FIC ABC'],
      ['system', 2, 'FIC ABC'],
    ]);
  });

  it('adds an item once: already on this record is silent, on another record an error', () => {
    const state: CatalogState = { known: { ...none, byControl: new Map([['X\u0001n1', 10]]), byBarcode: new Map([['mine', 10], ['theirs', 99]]) }, marcDigestOf: new Map([[10, 'd1']]) };
    const plan = planImport([candidate(1, { items: [item({ barcode: 'mine' }), item({ barcode: 'theirs' }), item({ barcode: 'new' })] })], state, rules);
    expect(plan.items.map((i) => [i.barcode, i.recordId])).toEqual([['new', 10]]);
    expect(plan.errors).toEqual([expect.objectContaining({ barcode: 'theirs', message: expect.stringMatching(/already on an item of record 99/u) })]);
  });

  it('lets a cataloger add items of their own library only', () => {
    const plan = planImport([candidate(1, { items: [item({ barcode: 'a1', libraryCode: 'A' }), item({ barcode: 'b1', libraryCode: 'B' })] })], empty, { ...rules, onlyLibrary: { id: 1, code: 'A' } });
    expect(plan.items.map((i) => i.barcode)).toEqual(['a1']);
    expect(plan.errors[0].message).toMatch(/belongs to B, and you add items to A only/u);
  });
});
