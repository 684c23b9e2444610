import { sql, type RawBuilder } from 'kysely';
import { invalid, ok, type Result } from '../domain/refusal';
import type { ServiceContext } from './context';
import { findLibraryByCode } from './library-view';
import { matchingRecords, type SearchField } from './record-search-sql';

// The catalog search box (API.md GET /records): words of the title, author, subjects and notes
// in any script, accents and case ignored, the last word matched as a prefix so that results
// come while typing, close spellings when words find little, an ISBN/ISSN in any spelling or an
// item barcode exactly. Ranked by relevance, then paged; with facets by format and by library,
// and each hit's copies and copies on the shelf, everywhere and at `library`. One statement.

export interface RecordSearchQuery {
  q?: string;
  /** Which part of the record the words are looked for in (default: all of it). */
  by?: SearchField;
  /** Count this library's items in `available` and `total` (and restrict `available=true` to it). */
  library?: string;
  format?: string;
  /** Only records with a copy on the shelf (at `library` when given). */
  available?: boolean;
  limit: number;
  offset: number;
}

export interface Copies {
  available: number;
  total: number;
}

export interface RecordHit extends Copies {
  id: number;
  title: string;
  author: string | null;
  format: string;
  year: number | null;
  publication: string | null;
  isbn: string[];
  /** Copies in the whole consortium (the top-level counts are the library's when one is asked for). */
  overall: Copies;
}

export interface SearchFacets {
  formats: { format: string; records: number }[];
  /**
   * Per library: matching records it owns a copy of, and of those, records with a copy on its
   * shelf — among the best 5,000 matches when more match.
   */
  libraries: { code: string; name: string; records: number; available: number }[];
}

export interface RecordSearchResult {
  /** How many records match, for paging. */
  total: number;
  records: RecordHit[];
  /** Only for a search (not for the plain list by title of an empty `q`). */
  facets: SearchFacets;
}

interface Row {
  total: number;
  records: (Omit<RecordHit, 'overall' | 'available' | 'total'> & { total_all: number; available_all: number; total_here: number; available_here: number })[];
  formats: SearchFacets['formats'];
  libraries: SearchFacets['libraries'];
}

/** The filters on `r` (a records row, or a hit carrying its format). */
function filtersOf(query: RecordSearchQuery, libraryId: number | null): RawBuilder<unknown> {
  const format = query.format === undefined ? sql`` : sql`AND r.format = ${query.format}`;
  const onShelf = sql`EXISTS (SELECT 1 FROM items i WHERE i.record_id = r.id AND i.status = 'available' ${libraryId === null ? sql`` : sql`AND i.owning_library_id = ${libraryId}`})`;
  const available = query.available === true ? sql`AND ${onShelf}` : query.available === false ? sql`AND NOT ${onShelf}` : sql``;
  return sql`${format} ${available}`;
}

// Library facets count the best matches only: a word in most records ("al" in the ACO set)
// would otherwise read every copy of the catalog for each search.
const facetedMatches = 5000;

function statement(query: RecordSearchQuery, q: string, libraryId: number | null): RawBuilder<Row> {
  const filters = filtersOf(query, libraryId);
  const searching = q !== '';
  const selected = searching
    ? sql`hit AS MATERIALIZED (${matchingRecords(q, query.by ?? 'keyword')}),
      selected AS MATERIALIZED (SELECT * FROM hit r WHERE true ${filters}),
      ranked AS (SELECT id, score, sort_title FROM selected ORDER BY score DESC, sort_title, id),
      page AS (
        SELECT r.id, r.title, r.author, r.format, r.year, r.publication, r.isbn, p.score, p.sort_title
        FROM (SELECT * FROM ranked LIMIT ${query.limit} OFFSET ${query.offset}) p JOIN records r ON r.id = p.id)`
    : sql`page AS (
        SELECT r.id, r.title, r.author, r.format, r.year, r.publication, r.isbn, 0 AS score, left(r.title, 200) AS sort_title
        FROM records r WHERE true ${filters}
        ORDER BY left(r.title, 200), r.id LIMIT ${query.limit} OFFSET ${query.offset})`;
  const here = libraryId ?? -1;
  const facets = searching
    ? sql`(SELECT coalesce(json_agg(f ORDER BY f.records DESC, f.format), '[]') FROM (
          SELECT format, count(*)::int AS records FROM selected GROUP BY format) f) AS formats,
        (SELECT coalesce(json_agg(f ORDER BY f.code), '[]') FROM (
          SELECT l.code, l.name, c.records, c.available FROM (
            SELECT i.owning_library_id, count(DISTINCT i.record_id)::int AS records,
              count(DISTINCT i.record_id) FILTER (WHERE i.status = 'available')::int AS available
            FROM items i WHERE i.record_id IN (SELECT id FROM ranked LIMIT ${facetedMatches}) GROUP BY i.owning_library_id) c
          JOIN libraries l ON l.id = c.owning_library_id) f) AS libraries`
    : sql`'[]'::json AS formats, '[]'::json AS libraries`;
  return sql<Row>`
    WITH ${selected}
    SELECT
      ${searching ? sql`(SELECT count(*) FROM selected)::int` : sql`(SELECT count(*) FROM records r WHERE true ${filters})::int`} AS total,
      (SELECT coalesce(json_agg(p ORDER BY p.score DESC, p.sort_title, p.id), '[]') FROM (
        SELECT page.*, c.* FROM page LEFT JOIN LATERAL (
          SELECT count(*)::int AS total_all, count(*) FILTER (WHERE i.status = 'available')::int AS available_all,
            count(*) FILTER (WHERE i.owning_library_id = ${here})::int AS total_here,
            count(*) FILTER (WHERE i.owning_library_id = ${here} AND i.status = 'available')::int AS available_here
          FROM items i WHERE i.record_id = page.id) c ON true) p) AS records,
      ${facets}`;
}

/** Anyone may search the catalog, signed in or not. */
export async function searchRecords(ctx: ServiceContext, query: RecordSearchQuery): Promise<Result<RecordSearchResult>> {
  let libraryId: number | null = null;
  if (query.library !== undefined) {
    const library = await findLibraryByCode(ctx.db, query.library);
    if (!library) return invalid('library', `There is no library with code ${query.library}.`);
    libraryId = library.id;
  }
  const q = (query.q ?? '').trim();
  const { rows } = await statement(query, q, libraryId).execute(ctx.db);
  const row = rows[0];
  return ok({
    total: row.total,
    records: row.records.map((r) => {
      const overall = { available: r.available_all, total: r.total_all };
      const counted = libraryId === null ? overall : { available: r.available_here, total: r.total_here };
      return { id: r.id, title: r.title, author: r.author, format: r.format, year: r.year, publication: r.publication, isbn: r.isbn, ...counted, overall };
    }),
    facets: { formats: row.formats, libraries: row.libraries },
  });
}
