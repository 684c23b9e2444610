import { sql, type RawBuilder } from 'kysely';
import type { SearchField } from './record-search-sql';

// Where a search looks for its words, best place first. A common word ("al" is in nine ACO
// titles of ten, "history" in the notes of a whole series) matches a large share of the
// catalog, and ranking every match reads every matching record: instead the search takes
// matches from one index after another, in index order, until it has counted enough of them,
// and ranks only those. The order of the tiers is what keeps the best matches among the
// counted ones: a word in the title beats a word in the notes (the title weighs most in the
// rank), and the words as typed in full beat the last word read as the start of a longer one,
// whose expansion ("al" → every word starting with "al") is by far the widest.

/** The weights of records.search one tier looks in, each with an index of its own (migration 009). */
export type TierWeights = 'a' | 'b' | 'c';

export interface WordTier {
  /** Only these weights (title a, author b, subject c), or every word of the record. */
  weights: TierWeights | null;
  /** The words as typed in full, or with the last one also as the start of a longer word. */
  words: 'exact' | 'typed';
}

const fieldWeights: Partial<Record<SearchField, TierWeights>> = { title: 'a', author: 'b', subject: 'c' };

/**
 * The tiers of a search by `by`, in order. `filtered`: a filter (format, copies on the shelf)
 * drops some matches after they are read; a title tier would then have its failing matches read
 * again by the tier of the whole record, so a filtered keyword search reads each word index once.
 */
export function wordTiers(by: SearchField, filtered: boolean): WordTier[] {
  if (by === 'isbn' || by === 'barcode') return [];
  const weights = fieldWeights[by];
  if (weights) return [{ weights, words: 'exact' }, { weights, words: 'typed' }];
  if (filtered) return [{ weights: null, words: 'exact' }, { weights: null, words: 'typed' }];
  return [
    { weights: 'a', words: 'exact' },
    { weights: null, words: 'exact' },
    { weights: 'a', words: 'typed' },
    { weights: null, words: 'typed' },
  ];
}

/** The words a tier looks in, as SQL on `r` (a records row): the very expressions of the indexes of migration 009. */
export function tierVector(weights: TierWeights | null): RawBuilder<unknown> {
  return weights === null ? sql`r.search` : sql.raw(`ts_filter(r.search, '{${weights}}')`);
}

/**
 * Tiers as common table expressions `${name}_0`, `${name}_1`, … and `${name}_hits`, their rows
 * together. Each query is a SELECT of records `r` ending in its WHERE clause; each tier takes its
 * next rows in index order, leaves out those of earlier tiers, and stops at what is left of
 * `limit`: with nothing left, its index is never read.
 */
export function tieredCtes(name: string, queries: readonly RawBuilder<unknown>[], limit: number): RawBuilder<unknown> {
  const tier = (i: number) => sql.raw(`${name}_${i}`);
  const ctes = queries.map((query, i) => {
    if (i === 0) return sql`${tier(i)} AS MATERIALIZED (${query} LIMIT ${limit})`;
    const earlier = sql.join(Array.from({ length: i }, (_, j) => sql`SELECT id FROM ${tier(j)}`), sql` UNION ALL `);
    return sql`${tier(i)} AS MATERIALIZED (${query} AND r.id NOT IN (${earlier}) LIMIT (SELECT ${limit} - count(*) FROM (${earlier}) e))`;
  });
  const hits = sql`${sql.raw(`${name}_hits`)} AS (${sql.join(queries.map((_, i) => sql`SELECT * FROM ${tier(i)}`), sql` UNION ALL `)})`;
  return sql.join([...ctes, hits], sql`,\n`);
}
