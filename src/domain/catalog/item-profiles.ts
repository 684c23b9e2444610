import type { MarcField } from './marc-fields';

// Items embedded in bibliographic records, as the systems that export them write them. Each
// profile says which tag holds one item and which subfield holds each fact; README lists them.
//   koha       952 (Koha's default MARC21 framework)
//   evergreen  949 as Evergreen's Unicorn/Sirsi import reads it (the jazz_1k and lul_fre sets)
//   852        MARC holdings field 852, as Evergreen exports it

export const itemProfiles = ['koha', 'evergreen', '852'] as const;
export type ItemProfile = (typeof itemProfiles)[number];

export type ImportedItemStatus = 'available' | 'lost' | 'damaged' | 'missing' | 'in-process';

/** One item as its field describes it, before its library is looked up. */
export interface EmbeddedItem {
  tag: string;
  barcode: string | null;
  /** The library code the field names as the owner (first of the profile's subfields that has one). */
  libraryCode: string | null;
  callNumber: string | null;
  location: string | null;
  itemType: string | null;
  status: ImportedItemStatus;
  circulates: boolean;
  holdable: boolean;
  /** YYYY-MM-DD, when the field says when the item was added. */
  catalogedAt: string | null;
  /** Withdrawn from the collection: not imported. */
  withdrawn: boolean;
}

interface Profile {
  tag: string;
  barcode: string;
  /** Subfields naming the owning library, tried in order. */
  library: string[];
  /** Subfields joined, in this order, into the call number. */
  callNumber: string[];
  location: string;
  itemType: string;
  catalogedAt?: string;
}

const profiles: Record<ItemProfile, Profile> = {
  // $a home library, $b holding library, $o call number, $p barcode, $c location, $y type, $d accessioned
  koha: { tag: '952', barcode: 'p', library: ['a', 'b'], callNumber: ['o'], location: 'c', itemType: 'y', catalogedAt: 'd' },
  // $i barcode, $m library, $a call number, $l location, $t type
  evergreen: { tag: '949', barcode: 'i', library: ['m'], callNumber: ['a'], location: 'l', itemType: 't' },
  // $p barcode, $b sublocation (the branch), $a location (the institution), $k $h $i $m call number, $c shelving location
  '852': { tag: '852', barcode: 'p', library: ['b', 'a'], callNumber: ['k', 'h', 'i', 'm'], location: 'c', itemType: 'g' },
};

export function itemTagOf(profile: ItemProfile): string {
  return profiles[profile].tag;
}

function value(field: MarcField, code: string): string | null {
  const v = field.subfields?.find((s) => s.code === code)?.value.trim();
  return v ? v : null;
}

/** Koha's status flags: 0 or empty means "no". */
function flagged(field: MarcField, code: string): number {
  const v = Number(value(field, code) ?? '0');
  return Number.isFinite(v) ? v : 0;
}

function callNumberOf(field: MarcField, profile: Profile): string | null {
  const joined = profile.callNumber
    .map((code) => value(field, code))
    .filter((v): v is string => v !== null)
    .join(' ')
    .replace(/\s+/gu, ' ');
  // 852 exports often put the whole call number in $j (shelving control number) instead
  return joined || (profile.tag === '852' ? value(field, 'j') : null);
}

function statusOf(field: MarcField, tag: string): Pick<EmbeddedItem, 'status' | 'circulates' | 'holdable' | 'withdrawn'> {
  if (tag !== '952') return { status: 'available', circulates: true, holdable: true, withdrawn: false };
  const notForLoan = flagged(field, '7');
  const lost = flagged(field, '1');
  return {
    // Koha's default LOST values: 4 is "Missing", the others kinds of lost; a negative
    // "not for loan" is "on order"
    status: lost === 4 ? 'missing' : lost !== 0 ? 'lost' : flagged(field, '4') !== 0 ? 'damaged' : notForLoan < 0 ? 'in-process' : 'available',
    circulates: notForLoan === 0,
    holdable: notForLoan === 0,
    withdrawn: flagged(field, '0') !== 0,
  };
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/u;

/** The items of a record under a profile, in the order of their fields. */
export function embeddedItems(fields: readonly MarcField[], profile: ItemProfile): EmbeddedItem[] {
  const p = profiles[profile];
  return fields
    .filter((f) => f.tag === p.tag && f.subfields !== undefined)
    .map((field) => {
      const date = p.catalogedAt ? value(field, p.catalogedAt) : null;
      return {
        tag: p.tag,
        barcode: value(field, p.barcode),
        libraryCode: p.library.map((code) => value(field, code)).find((v) => v !== null) ?? null,
        callNumber: callNumberOf(field, p),
        location: value(field, p.location),
        itemType: value(field, p.itemType),
        catalogedAt: date && isoDate.test(date.slice(0, 10)) ? date.slice(0, 10) : null,
        ...statusOf(field, p.tag),
      };
    });
}

/** Barcodes are scanned and typed: printable ASCII without spaces, as the API accepts them. */
export function barcodeProblem(barcode: string | null): string | null {
  if (barcode === null) return 'it has no barcode';
  if (barcode.length > 64) return `its barcode "${barcode.slice(0, 20)}…" is longer than 64 characters`;
  if (!/^[\x21-\x7E]+$/u.test(barcode)) return `its barcode "${barcode}" has spaces or characters a scanner cannot type`;
  return null;
}
