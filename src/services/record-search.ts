import { sql, type RawBuilder } from 'kysely';
import { isbnForms, normaliseIsbn, isValidIsbn } from '../domain/isbn';
import { invalid, ok, type Result } from '../domain/refusal';
import type { Db, ServiceContext } from './context';
import { findLibraryByCode } from './library-view';

// The catalog search box: words of the title, author, subjects, publisher or ISBN (the
// records.search tsvector, 'simple' configuration, kept by a trigger), the last word matched
// as a prefix so that results come while typing; an item barcode or an ISBN in any spelling
// finds its record exactly.

export interface RecordSearchQuery {
  q?: string;
  /** Count only this library's items in `available` and `total`. */
  library?: string;
  limit: number;
  offset: number;
}

export interface RecordHit {
  id: number;
  title: string;
  author: string | null;
  available: number;
  total: number;
}

export interface RecordSearchResult {
  /** How many records match, for paging. */
  total: number;
  records: RecordHit[];
}

/**
 * The words of the query as the text-search parser would split them, letters and digits only,
 * so that nothing a user types can reach to_tsquery as an operator.
 */
export function searchWords(q: string): string[] {
  return q
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .slice(0, 32);
}

function isbnFormsOf(q: string): string[] {
  const isbn = normaliseIsbn(q);
  return /^(\d{9}[\dX]|\d{13})$/.test(isbn) && isValidIsbn(isbn) ? isbnForms(isbn) : [];
}

/** One row per matching record id with its best rank; exact (barcode, ISBN) hits first. */
function hits(q: string): RawBuilder<unknown> {
  const words = searchWords(q);
  const textQuery =
    words.length > 0
      ? sql`plainto_tsquery('simple', ${q}) || to_tsquery('simple', ${words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ')})`
      : sql`plainto_tsquery('simple', ${q})`;
  const forms = isbnFormsOf(q);
  const isbnHits =
    forms.length > 0
      ? sql`UNION ALL
        SELECT id, 0::real, true FROM records
        WHERE search @@ to_tsquery('simple', ${forms.join(' | ')}) AND isbn && ARRAY[${sql.join(forms)}]::text[]`
      : sql``;
  return sql`
    SELECT id, max(rank) AS rank, bool_or(exact) AS exact FROM (
      SELECT records.id, ts_rank(records.search, query.tsq) AS rank, false AS exact
      FROM records, (SELECT ${textQuery} AS tsq) AS query
      WHERE records.search @@ query.tsq
      UNION ALL
      SELECT record_id, 0::real, true FROM items WHERE barcode = ${q}
      ${isbnHits}
    ) AS found GROUP BY id`;
}

interface PageRow {
  id: number;
  title: string;
  author: string | null;
  matched: string;
}

async function matchingPage(db: Db, q: string, limit: number, offset: number): Promise<{ rows: PageRow[]; count: () => Promise<number> }> {
  const found = hits(q);
  const { rows } = await sql<PageRow>`
    SELECT records.id, records.title, records.author, count(*) OVER () AS matched
    FROM (${found}) AS hit JOIN records ON records.id = hit.id
    ORDER BY hit.exact DESC, hit.rank DESC, records.title, records.id
    LIMIT ${limit} OFFSET ${offset}`.execute(db);
  const count = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM (${found}) AS hit`.execute(db)).rows[0].n);
  return { rows, count };
}

async function titlePage(db: Db, limit: number, offset: number): Promise<{ rows: PageRow[]; count: () => Promise<number> }> {
  const rows = await db
    .selectFrom('records')
    .select(['id', 'title', 'author', sql<string>`count(*) OVER ()`.as('matched')])
    .orderBy('title')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
  const count = async () => Number((await db.selectFrom('records').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  return { rows, count };
}

async function itemCounts(db: Db, recordIds: number[], libraryId: number | null): Promise<Map<number, { available: number; total: number }>> {
  if (recordIds.length === 0) return new Map();
  let query = db
    .selectFrom('items')
    .select(['record_id', sql<string>`count(*)`.as('total'), sql<string>`count(*) FILTER (WHERE status = 'available')`.as('available')])
    .where('record_id', 'in', recordIds)
    .groupBy('record_id');
  if (libraryId !== null) query = query.where('owning_library_id', '=', libraryId);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.record_id, { available: Number(r.available), total: Number(r.total) }]));
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
  const page = q === '' ? await titlePage(ctx.db, query.limit, query.offset) : await matchingPage(ctx.db, q, query.limit, query.offset);
  // past the last page the window count has no row to ride on
  const total = page.rows.length > 0 ? Number(page.rows[0].matched) : query.offset > 0 ? await page.count() : 0;
  const counts = await itemCounts(ctx.db, page.rows.map((r) => r.id), libraryId);
  return ok({
    total,
    records: page.rows.map((r) => ({ id: r.id, title: r.title, author: r.author, ...(counts.get(r.id) ?? { available: 0, total: 0 }) })),
  });
}
