import { sql } from 'kysely';
import type { CatalogState, ImportCandidate } from '../../domain/catalog/import-plan';
import type { Db } from '../context';

// What the catalog holds under the keys of one batch of imported records, in two statements:
// the records matching any of their identities and the items holding any of their barcodes,
// then a digest of each matched record's MARC.

interface KeyRow {
  kind: 'c' | 'n' | 's' | 'b' | 'd';
  key: string;
  id: number;
}

export async function loadCatalogState(db: Db, candidates: readonly ImportCandidate[]): Promise<CatalogState> {
  const sources: string[] = [];
  const numbers: string[] = [];
  const bare: string[] = [];
  const systemNumbers: string[] = [];
  const barcodes: string[] = [];
  const marcDigests: string[] = [];
  for (const { identity, items } of candidates) {
    barcodes.push(...identity.barcodes, ...items.map((i) => i.barcode).filter((b): b is string => b !== null));
    if (identity.controlNumber !== null && identity.controlSource !== null) {
      sources.push(identity.controlSource);
      numbers.push(identity.controlNumber);
      continue;
    }
    // 035 numbers and barcodes identify only a record without 001 + 003 (record-identity.ts)
    if (identity.controlNumber !== null) bare.push(identity.controlNumber);
    systemNumbers.push(...identity.systemNumbers);
    if (identity.controlNumber === null && identity.systemNumbers.length === 0) marcDigests.push(identity.digest);
  }
  // ORDER BY id: when several records share a key, the oldest is the one an import updates
  const { rows } = await sql<KeyRow>`
    SELECT 'c' AS kind, control_source || chr(1) || control_number AS key, id FROM records
      WHERE (control_source, control_number) IN (SELECT * FROM unnest(${sources}::text[], ${numbers}::text[]))
    UNION ALL
    SELECT 'n', control_number, id FROM records
      WHERE control_source IS NULL AND control_number = ANY(${bare}::text[])
    UNION ALL
    -- one index probe a number: with the whole list, the planner expects many rows and scans the table
    SELECT 's', n, id FROM unnest(${[...new Set(systemNumbers)]}::text[]) AS n JOIN records ON system_numbers @> ARRAY[n]
    UNION ALL
    SELECT 'b', barcode, record_id FROM items WHERE barcode = ANY(${barcodes}::text[])
    UNION ALL
    SELECT 'd', md5(marc), id FROM records WHERE control_number IS NULL AND md5(marc) = ANY(${marcDigests}::text[])
    ORDER BY id`.execute(db);
  const maps = { c: new Map<string, number>(), n: new Map<string, number>(), s: new Map<string, number>(), b: new Map<string, number>(), d: new Map<string, number>() };
  for (const row of rows) if (!maps[row.kind].has(row.key)) maps[row.kind].set(row.key, row.id);
  const matched = [...new Set(rows.filter((r) => r.kind !== 'b').map((r) => r.id).concat([...maps.b.values()]))];
  const digests =
    matched.length === 0
      ? []
      : (await sql<{ id: number; digest: string | null }>`
          SELECT id, md5(marc) AS digest FROM records WHERE id = ANY(${matched}::int[])`.execute(db)).rows;
  return {
    known: { byControl: maps.c, byBareNumber: maps.n, bySystemNumber: maps.s, byBarcode: maps.b, byDigest: maps.d },
    marcDigestOf: new Map(digests.map((d) => [d.id, d.digest])),
  };
}
