import { sql, type RawBuilder } from 'kysely';
import { prefixQuery, searchWords } from '../domain/catalog/search-text';
import { issnInText, isValidIssn } from '../domain/catalog/issn';
import { isbnForms, isValidIsbn, normaliseIsbn } from '../domain/isbn';

// The statement behind GET /records?q=: which records match and how well. Words are found with
// the records.search index (weights title A, author B, subject C, notes D, migration 005); when
// words find few records, trigram similarity on the title and the name forgives typos; an ISBN,
// ISSN or item barcode finds its record exactly and first.

export const searchFields = ['keyword', 'title', 'author', 'subject', 'isbn', 'barcode'] as const;
export type SearchField = (typeof searchFields)[number];

/** Below this many word matches, close spellings are looked for too. */
const typoThreshold = 10;

// which weights of records.search each field may match
const weightsOf: Partial<Record<SearchField, string>> = { title: '{a}', author: '{b}', subject: '{c}' };

function isbnFormsOf(q: string): string[] {
  const isbn = normaliseIsbn(q);
  return /^(\d{9}[\dX]|\d{13})$/u.test(isbn) && isValidIsbn(isbn) ? isbnForms(isbn) : [];
}

function issnOf(q: string): string | null {
  const issn = q.trim().length <= 12 ? issnInText(q) : null;
  return issn && isValidIssn(issn) ? issn : null;
}

/**
 * Rows (id, score, format, sort_title) of the records matching `q`, best first when ordered by
 * score: each branch reads format and title where it reads the record anyway, so that paging and
 * facets never go back to the records table for thousands of matches.
 */
export function matchingRecords(q: string, by: SearchField): RawBuilder<unknown> {
  const branches: RawBuilder<unknown>[] = [];
  const words = by === 'isbn' || by === 'barcode' ? [] : searchWords(q);
  const prefix = prefixQuery(words);
  const useWords = prefix !== null;
  if (useWords) {
    const weights = weightsOf[by];
    branches.push(sql`
      SELECT r.id, 1 + ts_rank(r.search, w.tsq) AS score, r.format, left(r.title, 200) AS sort_title
      FROM records r, words w
      WHERE r.search @@ w.tsq ${weights ? sql`AND ts_filter(r.search, ${weights}::"char"[]) @@ w.tsq` : sql``}`);
    const typoColumns = by === 'keyword' ? ['title_key', 'author_key'] : by === 'title' ? ['title_key'] : by === 'author' ? ['author_key'] : [];
    for (const column of typoColumns) {
      // the scalar subqueries are computed once, before the scan, and let the trigram index work
      branches.push(sql`
        SELECT r.id, word_similarity((SELECT key FROM words), ${sql.ref(`r.${column}`)}) AS score, r.format, left(r.title, 200) AS sort_title
        FROM records r
        WHERE (SELECT count(*) FROM word_hits) < ${typoThreshold}
          AND (SELECT key FROM words) <% ${sql.ref(`r.${column}`)}`);
    }
  }
  const exact = sql`100 AS score, r.format, left(r.title, 200) AS sort_title`;
  if (by === 'keyword' || by === 'barcode') branches.push(sql`SELECT r.id, ${exact} FROM items i JOIN records r ON r.id = i.record_id WHERE i.barcode = ${q.trim()}`);
  if (by === 'keyword' || by === 'isbn') {
    const forms = isbnFormsOf(q);
    if (forms.length > 0) branches.push(sql`SELECT r.id, ${exact} FROM records r WHERE r.isbn && ${forms}::text[]`);
    const issn = issnOf(q);
    if (issn) branches.push(sql`SELECT r.id, ${exact} FROM records r WHERE r.issn && ARRAY[${issn}]::text[]`);
  }
  if (branches.length === 0) return sql`SELECT NULL::int AS id, 0::real AS score, NULL::text AS format, NULL::text AS sort_title WHERE false`;
  const wordsCte = useWords
    ? sql`words AS (
        SELECT plainto_tsquery('catalog', catalog_prefold(${q})) || to_tsquery('catalog', ${prefix}) AS tsq, catalog_key(${q}) AS key
      ),
      word_hits AS (${branches[0]}),`
    : sql``;
  const rest = useWords ? [sql`SELECT * FROM word_hits`, ...branches.slice(1)] : branches;
  if (rest.length === 1) return sql`WITH ${wordsCte} found AS (${rest[0]}) SELECT * FROM found`;
  return sql`WITH ${wordsCte} found AS (${sql.join(rest, sql` UNION ALL `)})
    SELECT id, max(score) AS score, min(format) AS format, min(sort_title) AS sort_title FROM found GROUP BY id`;
}
