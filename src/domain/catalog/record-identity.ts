// Which catalog record an imported MARC record is: re-importing a file (a corrected export, new
// copies of the same titles) updates the records it made instead of adding them again.
//
// In order: 001 with its 003 (the number and the catalog that gave it); a 001 without 003
// against records that also came without one; else the 035 $a numbers (OCLC and other
// catalogs' numbers); else the barcode of any of its items already in the catalog; else, for a
// record with no number at all, a record with exactly the same MARC (the same file again).

export interface RecordIdentity {
  controlNumber: string | null;
  controlSource: string | null;
  systemNumbers: readonly string[];
  barcodes: readonly string[];
  /** A digest of the whole record's MARC. */
  digest: string;
}

/** What the catalog already holds under each kind of key, record ids by key. */
export interface KnownKeys {
  byControl: ReadonlyMap<string, number>;
  byBareNumber: ReadonlyMap<string, number>;
  bySystemNumber: ReadonlyMap<string, number>;
  byBarcode: ReadonlyMap<string, number>;
  byDigest: ReadonlyMap<string, number>;
}

export function controlKey(controlSource: string, controlNumber: string): string {
  return `${controlSource}\u0001${controlNumber}`;
}

/** The keys this record is known by, strongest first; used to look up and to spot repeats in a file. */
export function identityKeys(identity: RecordIdentity): string[] {
  const { controlNumber, controlSource } = identity;
  if (controlNumber !== null && controlSource !== null) return [`c:${controlKey(controlSource, controlNumber)}`];
  const keys = controlNumber !== null ? [`n:${controlNumber}`] : [];
  keys.push(...identity.systemNumbers.map((n) => `s:${n}`));
  if (keys.length === 0) keys.push(...identity.barcodes.map((b) => `b:${b}`), `d:${identity.digest}`);
  return keys;
}

/** The id of the catalog record this one updates, or null for a new record. */
export function matchRecord(identity: RecordIdentity, known: KnownKeys): number | null {
  const { controlNumber, controlSource } = identity;
  if (controlNumber !== null && controlSource !== null) return known.byControl.get(controlKey(controlSource, controlNumber)) ?? null;
  if (controlNumber !== null) {
    const bare = known.byBareNumber.get(controlNumber);
    if (bare !== undefined) return bare;
  }
  for (const n of identity.systemNumbers) {
    const id = known.bySystemNumber.get(n);
    if (id !== undefined) return id;
  }
  if (controlNumber !== null || identity.systemNumbers.length > 0) return null;
  for (const b of identity.barcodes) {
    const id = known.byBarcode.get(b);
    if (id !== undefined) return id;
  }
  return known.byDigest.get(identity.digest) ?? null;
}
