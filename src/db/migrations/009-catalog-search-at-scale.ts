import { sql, type Kysely } from 'kysely';

// The catalog search at consortium size (services/record-search-tiers.ts): a search takes its
// matches index after index, best place first, and counts and ranks only so many of them.
//
// Title, author and subject each get an index of their own words, the weights of records.search
// (migration 005) that the field wrote: without them a word common in the notes but rare in
// titles would be read in every record that has it before the few titles that have it are
// found. The expressions must stay exactly as the search writes them, or the planner does not
// use the indexes.
//
// Typos are forgiven word by word, from the catalog's own words: each word of a search that
// finds little is widened to the catalog's words closest to it (trigram similarity over short
// words, about a millisecond a word), and the records are found with the word indexes again.
// This replaces trigram similarity against whole titles and names, whose indexes gave thousands
// of candidates for a typo next to a common word, each costing a similarity over a whole title
// (records_title_trgm and records_author_trgm no longer serve the search).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- An import lets new words wait in the indexes' pending lists (gin_pending_list_limit raised for
-- its transactions) and merges those of records_search when it ends; the indexes below merge
-- themselves whenever 1 MB waits, which every search would otherwise read through.
CREATE INDEX records_search_title ON records USING gin (ts_filter(search, '{a}')) WITH (gin_pending_list_limit = 1024);
CREATE INDEX records_search_author ON records USING gin (ts_filter(search, '{b}')) WITH (gin_pending_list_limit = 1024);
CREATE INDEX records_search_subject ON records USING gin (ts_filter(search, '{c}')) WITH (gin_pending_list_limit = 1024);

-- Every word of a title or a name the catalog's records have held: where readers type what they
-- saw, and what the typos were compared with before. A word that no record holds any longer
-- stays: a close spelling that finds nothing costs nothing.
CREATE TABLE catalog_words (word text PRIMARY KEY);
CREATE INDEX catalog_words_trgm ON catalog_words USING gin (word gin_trgm_ops) WITH (gin_pending_list_limit = 1024);
INSERT INTO catalog_words (word) SELECT word FROM ts_stat('SELECT ts_filter(search, ''{a,b}'') FROM records');

-- One statement per import batch: the batch's words, each once, in a set order, so that two
-- imports adding the same new words wait for one another in turn, never in a cycle.
CREATE FUNCTION catalog_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO catalog_words (word)
  SELECT DISTINCT w.lexeme FROM changed_records r, unnest(ts_filter(r.search, '{a,b}')) AS w
  ORDER BY 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
-- (a trigger with a transition table cannot name columns: any update of records adds its words)
CREATE TRIGGER records_words_insert AFTER INSERT ON records
  REFERENCING NEW TABLE AS changed_records FOR EACH STATEMENT EXECUTE FUNCTION catalog_words_add();
CREATE TRIGGER records_words_update AFTER UPDATE ON records
  REFERENCING NEW TABLE AS changed_records FOR EACH STATEMENT EXECUTE FUNCTION catalog_words_add();

-- A word of catalog_words as a query for that very word (no dictionary applied again), or for
-- any word it starts.
CREATE FUNCTION catalog_word_query(word text, prefix boolean) RETURNS tsquery LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ('''' || replace(replace(word, '\\', '\\\\'), '''', '''''') || '''' || CASE WHEN prefix THEN ':*' ELSE '' END)::tsquery
$$;

-- Queries joined by OR and by AND, to build one query out of each word's close spellings.
CREATE AGGREGATE tsquery_any(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);
CREATE AGGREGATE tsquery_all(tsquery) (SFUNC = tsquery_and, STYPE = tsquery);
`.execute(db);
}
