import { sql, type RawBuilder } from 'kysely';
import { tieredCtes, tierVector, type TierWeights } from './record-search-tiers';

// Close spellings, when the words of a search find little: each word is widened to the words of
// the catalog closest to it (migration 009 keeps them, with a trigram index over words of a few
// letters), the widened words must all be found as the words were, with the same word indexes,
// and the records found are ranked by how closely their title or name resembles what was typed.
// The context of the other words is what picks "tarikh" out of the twenty words that look like
// "tarih": few records hold one of them next to "madinat". Only the words the catalog hardly
// knows are widened: a typo next to a common word keeps that word as the anchor.

/** Below this many word matches, close spellings are looked for too. */
const typoThreshold = 10;

/** Records found by close spellings, counted at most. */
export const typoLimit = 100;

/** Close words taken for each word typed, the closest first. */
const closeWords = 20;

/**
 * Words shorter than this are kept as typed: two letters share too few trigrams to compare.
 * So are numbers: a number typed wrong is another number, not a misspelling.
 */
const minCorrected = 3;

/**
 * A word found in this many records is taken as meant, unless every word is, and is widened only
 * to words much like it (its "l'égypte", tokenised "legypte"): widening "hayawan" as far as a
 * typo would bring in "hayat", and with it every record that has "hayat".
 */
const meantWord = 20;
const meantSimilarity = 0.5;

/** The name or title columns (migration 005) that what was typed is compared with, per field searched. */
export type TypoScore = 'title_key' | 'author_key';

/**
 * Whether the words find so little that close spellings are worth looking for: judged before
 * the filters, since words spelled right that a filter leaves few of are no typo. A barcode or
 * an ISBN that found its record is no typo either, and its digits have no close spellings.
 */
function wordsFindLittle(search: TypoSearch): RawBuilder<unknown> {
  const hits = sql`(SELECT count(*) FROM word_hits) < ${typoThreshold} ${search.identified ? sql`AND NOT EXISTS (SELECT 1 FROM identified)` : sql``}`;
  if (!search.filtered) return hits;
  return sql`${hits} AND (SELECT count(*) FROM (
      SELECT 1 FROM words w, records r WHERE r.search @@ w.typed LIMIT ${typoThreshold}) unfiltered) < ${typoThreshold}`;
}

export interface TypoSearch {
  /** The words of the search, as searchWords gave them. */
  words: readonly string[];
  /** Whether the last word is also read as the start of a longer one. */
  prefix: boolean;
  /** The weights the words are looked in, in turn (null: the whole record). */
  weights: readonly (TierWeights | null)[];
  /** Compared with what was typed, to rank what the close spellings find. */
  scoreBy: readonly TypoScore[];
  filters: RawBuilder<unknown>;
  filtered: boolean;
  /** Whether the search also looks `q` up as a barcode, ISBN or ISSN, in the common table expression `identified`. */
  identified: boolean;
}

/**
 * Common table expressions ending with `typo_hits (id, score, format, sort_title)`; they need
 * `words`, `word_hits` and `identified` (when looked up) before them. Nothing is read unless
 * the words found little. Like the words, close spellings are looked for in titles first:
 * readers mistype what they read there.
 */
export function typoCtes(search: TypoSearch): RawBuilder<unknown> {
  const resemblance = search.scoreBy.map((column) => sql`word_similarity(w.key, ${sql.ref(`r.${column}`)})`);
  const score = resemblance.length === 1 ? resemblance[0] : sql`greatest(${sql.join(resemblance)})`;
  const prefixAt = search.prefix ? search.words.length : 0;
  return sql`typo_keys AS MATERIALIZED (
      SELECT n, key, n = ${prefixAt} AS prefix, widened,
        NOT widened OR (SELECT count(*) FROM (
          SELECT 1 FROM records r WHERE r.search @@ catalog_word_query(key, false) LIMIT ${meantWord}) c) >= ${meantWord} AS meant
      FROM (
        SELECT n, key, char_length(key) >= ${minCorrected} AND key !~ '[0-9]' AS widened
        FROM (SELECT n, catalog_key(word) AS key FROM unnest(${search.words}::text[]) WITH ORDINALITY AS u(word, n)) k
        WHERE key <> '') w),
    typo_query AS MATERIALIZED (
      SELECT tsquery_all(alternatives) AS tsq FROM (
        SELECT tsquery_any(c.q) AS alternatives FROM typo_keys k CROSS JOIN LATERAL (
          SELECT catalog_word_query(k.key, k.prefix)
          UNION ALL
          (SELECT catalog_word_query(cw.word, false) FROM catalog_words cw
            WHERE k.widened AND cw.word % k.key
              AND (NOT k.meant OR similarity(cw.word, k.key) >= ${meantSimilarity} OR (SELECT bool_and(meant) FROM typo_keys))
            ORDER BY similarity(cw.word, k.key) DESC, cw.word LIMIT ${closeWords})) c(q)
        GROUP BY k.n) a),
    ${tieredCtes('typo', search.weights.map((weights) => sql`
      SELECT r.id, ${score} AS score, r.format, left(r.title, 200) AS sort_title
      FROM words w, typo_query t, records r
      WHERE ${wordsFindLittle(search)} AND ${tierVector(weights)} @@ t.tsq ${search.filters}`), typoLimit)}`;
}
