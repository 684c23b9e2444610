import { sql, type RawBuilder } from 'kysely';
import { prefixQuery, searchWords } from '../domain/catalog/search-text';
import { issnInText, isValidIssn } from '../domain/catalog/issn';
import { isbnForms, isValidIsbn, normaliseIsbn } from '../domain/isbn';
import { tieredCtes, tierVector, wordTiers, type TierWeights, type WordTier } from './record-search-tiers';
import { typoCtes, typoLimit, type TypoScore } from './record-search-typos';

// The statement behind GET /records?q=: which records match and how well. Words are found with
// the records.search index and its per-field twins (weights title A, author B, subject C, notes
// D; migrations 005 and 009), tier after tier (record-search-tiers.ts) until `limit` matches are
// counted; when words find few records, close spellings of the words are looked for
// (record-search-typos.ts); an ISBN, ISSN or item barcode finds its record exactly and first.

export const searchFields = ['keyword', 'title', 'author', 'subject', 'isbn', 'barcode'] as const;
export type SearchField = (typeof searchFields)[number];

/**
 * The last word is read as the start of a longer one only from this many letters on: "a" or
 * "al" starts thousands of words (every "al-…" of romanised Arabic), and one or two letters
 * say too little of what the reader is typing to be worth reading them all.
 */
const minPrefix = 3;

function isbnFormsOf(q: string): string[] {
  const isbn = normaliseIsbn(q);
  return /^(\d{9}[\dX]|\d{13})$/u.test(isbn) && isValidIsbn(isbn) ? isbnForms(isbn) : [];
}

function issnOf(q: string): string | null {
  const issn = q.trim().length <= 12 ? issnInText(q) : null;
  return issn && isValidIssn(issn) ? issn : null;
}

/** The words as a tsquery, all of them as typed in full (searchWords leaves nothing to quote). */
function exactQuery(words: readonly string[]): string {
  return words.map((w) => `'${w}'`).join(' & ');
}

export interface Matches {
  /** Common table expressions ending with `found (id, score, format, sort_title)`: the counted matches, each once. */
  ctes: RawBuilder<unknown>;
  /** True when `found` holds every match; false when counting stopped at the limit. */
  complete: RawBuilder<boolean>;
}

/** The searches that forgive typos: where close spellings are looked for, and what the records found are ranked by resembling. */
const typoFields: Partial<Record<SearchField, { weights: readonly (TierWeights | null)[]; scoreBy: readonly TypoScore[] }>> = {
  keyword: { weights: ['a', null], scoreBy: ['title_key', 'author_key'] },
  title: { weights: ['a'], scoreBy: ['title_key'] },
  author: { weights: ['b'], scoreBy: ['author_key'] },
};

/** The words of one tier found in a record, ranked by how well the whole record matches what was typed. */
function wordTierQuery(tier: WordTier, filters: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
      SELECT r.id, 1 + ts_rank(r.search, w.typed) AS score, r.format, left(r.title, 200) AS sort_title
      FROM words w, records r
      WHERE ${tierVector(tier.weights)} @@ ${tier.words === 'exact' ? sql`w.exact` : sql`w.typed`} ${filters}`;
}

/**
 * The records matching `q` that pass `filters` (conditions on `r`, a records row), at most
 * about `limit` of them, best first when ordered by score. `filtered` says whether `filters`
 * drops anything. Each branch reads format and title where it reads the record anyway, so that
 * paging and facets never go back to the records table for the matches.
 */
export function matchingRecords(q: string, by: SearchField, filters: RawBuilder<unknown>, filtered: boolean, limit: number): Matches {
  const ctes: RawBuilder<unknown>[] = [];
  const branches: RawBuilder<unknown>[] = [];
  const complete: RawBuilder<unknown>[] = [];
  const identifiers = identifierQueries(q, by, filters);
  if (identifiers.length > 0) {
    ctes.push(sql`identified AS (${sql.join(identifiers, sql` UNION ALL `)})`);
    branches.push(sql`SELECT * FROM identified`);
  }
  const words = wordTiers(by, filtered).length === 0 ? [] : searchWords(q);
  const prefix = words.length > 0 && [...words[words.length - 1]].length >= minPrefix;
  const tiers = wordTiers(by, filtered).filter((tier) => prefix || tier.words === 'exact');
  const typed = (prefix ? prefixQuery(words) : null) ?? exactQuery(words);
  if (words.length > 0) {
    ctes.push(sql`words AS (
        SELECT plainto_tsquery('catalog', catalog_prefold(${q})) || to_tsquery('catalog', ${exactQuery(words)}) AS exact,
          plainto_tsquery('catalog', catalog_prefold(${q})) || to_tsquery('catalog', ${typed}) AS typed,
          catalog_key(${q}) AS key)`);
    ctes.push(tieredCtes('word', tiers.map((tier) => wordTierQuery(tier, filters)), limit));
    branches.push(sql`SELECT * FROM word_hits`);
    complete.push(sql`(SELECT count(*) FROM word_hits) < ${limit}`);
    const typos = typoFields[by];
    if (typos) {
      ctes.push(typoCtes({ words, prefix, ...typos, filters, filtered, identified: identifiers.length > 0 }));
      branches.push(sql`SELECT * FROM typo_hits`);
      complete.push(sql`(SELECT count(*) FROM typo_hits) < ${typoLimit}`);
    }
  }
  const found =
    branches.length === 0
      ? sql`found AS (SELECT NULL::int AS id, 0::real AS score, NULL::text AS format, NULL::text AS sort_title WHERE false)`
      : sql`found AS (
          SELECT id, max(score) AS score, min(format) AS format, min(sort_title) AS sort_title
          FROM (${sql.join(branches, sql` UNION ALL `)}) b GROUP BY id)`;
  return {
    ctes: sql.join([...ctes, found], sql`,\n`),
    complete: complete.length === 0 ? sql<boolean>`true` : sql<boolean>`(${sql.join(complete, sql` AND `)})`,
  };
}

/** An item barcode, ISBN or ISSN in `q`: the records it names, exactly and first. */
function identifierQueries(q: string, by: SearchField, filters: RawBuilder<unknown>): RawBuilder<unknown>[] {
  const queries: RawBuilder<unknown>[] = [];
  const exact = sql`100 AS score, r.format, left(r.title, 200) AS sort_title`;
  if (by === 'keyword' || by === 'barcode') queries.push(sql`SELECT r.id, ${exact} FROM items i JOIN records r ON r.id = i.record_id WHERE i.barcode = ${q.trim()} ${filters}`);
  if (by === 'keyword' || by === 'isbn') {
    const forms = isbnFormsOf(q);
    if (forms.length > 0) queries.push(sql`SELECT r.id, ${exact} FROM records r WHERE r.isbn && ${forms}::text[] ${filters}`);
    const issn = issnOf(q);
    if (issn) queries.push(sql`SELECT r.id, ${exact} FROM records r WHERE r.issn && ARRAY[${issn}]::text[] ${filters}`);
  }
  return queries;
}
