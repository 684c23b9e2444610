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
// A search counts, ranks and gives facets for its first `countLimit` matches at most (the best
// ones: record-search-tiers.ts), so that a word found in most of the catalog costs what a rare
// one does; `totalExact` says whether the count stopped there.

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

/** Facets count the counted matches (all of them when `totalExact`). */
export interface SearchFacets {
  formats: { format: string; records: number }[];
  /** Per library: matching records it owns a copy of, and of those, records with a copy on its shelf. */
  libraries: { code: string; name: string; records: number; available: number }[];
}

export interface RecordSearchResult {
  /** How many records match, for paging: all of them when `totalExact`, else the ones counted (at least this many match). */
  total: number;
  /** False when more records match than a search counts (`countLimit`, or as far as the page asked for). */
  totalExact: boolean;
  records: RecordHit[];
  /** Only for a search (not for the plain list by title of an empty `q`). */
  facets: SearchFacets;
}

export interface SearchOptions {
  /** Overrides `countLimit` (tests count a small catalog's matches this way). */
  countLimit?: number;
}

interface Row {
  total: number;
  total_exact: boolean;
  records: (Omit<RecordHit, 'overall' | 'available' | 'total'> & { total_all: number; available_all: number; total_here: number; available_here: number })[];
  formats: SearchFacets['formats'];
  libraries: SearchFacets['libraries'];
}

const isFiltered = (query: RecordSearchQuery): boolean => query.format !== undefined || query.available !== undefined;

/** The filters on `r` (a records row). */
function filtersOf(query: RecordSearchQuery, libraryId: number | null): RawBuilder<unknown> {
  const format = query.format === undefined ? sql`` : sql`AND r.format = ${query.format}`;
  const onShelf = sql`EXISTS (SELECT 1 FROM items i WHERE i.record_id = r.id AND i.status = 'available' ${libraryId === null ? sql`` : sql`AND i.owning_library_id = ${libraryId}`})`;
  const available = query.available === true ? sql`AND ${onShelf}` : query.available === false ? sql`AND NOT ${onShelf}` : sql``;
  return sql`${format} ${available}`;
}

/**
 * How many matching records a search counts, ranks and gives facets for, at least (a page
 * further down counts as far as the page). Counting every match of a common word would read
 * most of the catalog; a reader refines such a search rather than page past the first thousand.
 */
export const countLimit = 1000;

/**
 * The same for a filtered search (a format, copies on the shelf): the filter is checked on each
 * match read, and when one match in ten passes, counting a thousand means reading ten thousand.
 */
export const filteredCountLimit = 200;

function statement(query: RecordSearchQuery, q: string, libraryId: number | null, limit: number): RawBuilder<Row> {
  const filters = filtersOf(query, libraryId);
  const here = libraryId ?? -1;
  const records = sql`(SELECT coalesce(json_agg(p ORDER BY p.score DESC, p.sort_title, p.id), '[]') FROM (
        SELECT page.*, c.* FROM page LEFT JOIN LATERAL (
          SELECT count(*)::int AS total_all, count(*) FILTER (WHERE i.status = 'available')::int AS available_all,
            count(*) FILTER (WHERE i.owning_library_id = ${here})::int AS total_here,
            count(*) FILTER (WHERE i.owning_library_id = ${here} AND i.status = 'available')::int AS available_here
          FROM items i WHERE i.record_id = page.id) c ON true) p) AS records`;
  if (q === '') {
    return sql<Row>`
      WITH counted AS (SELECT 1 FROM records r WHERE true ${filters} LIMIT ${limit}),
      page AS (
        SELECT r.id, r.title, r.author, r.format, r.year, r.publication, r.isbn, 0 AS score, left(r.title, 200) AS sort_title
        FROM records r WHERE true ${filters}
        ORDER BY left(r.title, 200), r.id LIMIT ${query.limit} OFFSET ${query.offset})
      SELECT (SELECT count(*) FROM counted)::int AS total, (SELECT count(*) FROM counted) < ${limit} AS total_exact,
        ${records}, '[]'::json AS formats, '[]'::json AS libraries`;
  }
  const matches = matchingRecords(q, query.by ?? 'keyword', filters, isFiltered(query), limit);
  return sql<Row>`
    WITH ${matches.ctes},
    page AS (
      SELECT r.id, r.title, r.author, r.format, r.year, r.publication, r.isbn, p.score, p.sort_title
      FROM (SELECT id, score, sort_title FROM found ORDER BY score DESC, sort_title, id LIMIT ${query.limit} OFFSET ${query.offset}) p
      JOIN records r ON r.id = p.id)
    SELECT (SELECT count(*) FROM found)::int AS total, ${matches.complete} AS total_exact, ${records},
      (SELECT coalesce(json_agg(f ORDER BY f.records DESC, f.format), '[]') FROM (
        SELECT format, count(*)::int AS records FROM found GROUP BY format) f) AS formats,
      (SELECT coalesce(json_agg(f ORDER BY f.code), '[]') FROM (
        SELECT l.code, l.name, c.records, c.available FROM (
          SELECT i.owning_library_id, count(DISTINCT i.record_id)::int AS records,
            count(DISTINCT i.record_id) FILTER (WHERE i.status = 'available')::int AS available
          FROM items i WHERE i.record_id IN (SELECT id FROM found) GROUP BY i.owning_library_id) c
        JOIN libraries l ON l.id = c.owning_library_id) f) AS libraries`;
}

/** Anyone may search the catalog, signed in or not. */
export async function searchRecords(ctx: ServiceContext, query: RecordSearchQuery, options: SearchOptions = {}): Promise<Result<RecordSearchResult>> {
  let libraryId: number | null = null;
  if (query.library !== undefined) {
    const library = await findLibraryByCode(ctx.db, query.library);
    if (!library) return invalid('library', `There is no library with code ${query.library}.`);
    libraryId = library.id;
  }
  const q = (query.q ?? '').trim();
  const limit = Math.max(options.countLimit ?? (isFiltered(query) ? filteredCountLimit : countLimit), query.offset + query.limit);
  const { rows } = await ctx.db.transaction().execute(async (trx) => {
    // Workers of a parallel scan hand rows over in no set order: the matches counted before the
    // limit would change from one page to the next.
    await sql`SET LOCAL max_parallel_workers_per_gather = 0`.execute(trx);
    return statement(query, q, libraryId, limit).execute(trx);
  });
  const row = rows[0];
  return ok({
    total: row.total,
    totalExact: row.total_exact,
    records: row.records.map((r) => {
      const overall = { available: r.available_all, total: r.total_all };
      const counted = libraryId === null ? overall : { available: r.available_here, total: r.total_here };
      return { id: r.id, title: r.title, author: r.author, format: r.format, year: r.year, publication: r.publication, isbn: r.isbn, ...counted, overall };
    }),
    facets: { formats: row.formats, libraries: row.libraries },
  });
}
