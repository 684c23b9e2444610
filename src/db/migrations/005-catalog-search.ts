import { sql, type Kysely } from 'kysely';

// The catalog search of a consortium's real records: words weighted title > author > subject >
// notes, accents and case ignored in every script (unaccent, and Arabic and Hebrew marks folded
// away), typos forgiven by trigram similarity on titles and names, ISBN/ISSN and 035 numbers
// kept for exact lookups and for matching records on re-import.
//
// catalog_prefold is mirrored in TypeScript by prefoldForSearch (src/domain/catalog/search-text.ts),
// which splits the query into words the same way; a test checks that the two agree.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Both are "trusted" extensions (PostgreSQL 13+): the database owner may create them. They ship
  // with the server's contrib package; PGlite loads them from PGlite.create (src/db/connection.ts).
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
  await sql`
ALTER TABLE records
  ADD COLUMN publication text,
  ADD COLUMN alt_titles text[] NOT NULL DEFAULT '{}',
  ADD COLUMN alt_authors text[] NOT NULL DEFAULT '{}',
  ADD COLUMN notes text,
  ADD COLUMN issn text[] NOT NULL DEFAULT '{}',
  ADD COLUMN system_numbers text[] NOT NULL DEFAULT '{}',
  ADD COLUMN title_key text NOT NULL DEFAULT '',
  ADD COLUMN author_key text NOT NULL DEFAULT '';

-- What unaccent leaves: apostrophes and modifier letters inside romanised words (Maʻārif, O'Brien),
-- Hebrew points and Arabic vowel marks and tatweel; Arabic letter variants a reader types alike.
CREATE FUNCTION catalog_prefold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT translate(
    regexp_replace($1, '[''\\u2019\\u02B0-\\u02FF\\u0591-\\u05C7\\u0610-\\u061A\\u064B-\\u065F\\u0670\\u06D6-\\u06ED\\u0640]', '', 'g'),
    '\u0623\u0625\u0622\u0671\u0649\u0629', '\u0627\u0627\u0627\u0627\u064A\u0647')
$$;

-- Words of the catalog: the simple parser (no stemming: the catalog holds many languages) with
-- unaccent before lower-casing.
CREATE TEXT SEARCH CONFIGURATION catalog (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION catalog
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple;

-- The form trigram similarity compares: folded, unaccented, lower case.
CREATE FUNCTION catalog_key(text) RETURNS text LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
  SELECT lower(unaccent(catalog_prefold($1)))
$$;

-- One catalog_prefold call for all the parts (its regular expression is most of the trigger's
-- cost), split again on a private-use character that no catalog text holds.
CREATE OR REPLACE FUNCTION records_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  part text[] := string_to_array(catalog_prefold(concat_ws(chr(57344),
    coalesce(NEW.title, ''), array_to_string(NEW.alt_titles, ' '),
    coalesce(NEW.author, ''), array_to_string(NEW.alt_authors, ' '),
    array_to_string(NEW.subjects, ' '), concat_ws(' ', NEW.publisher, NEW.notes))), chr(57344));
BEGIN
  NEW.search :=
    setweight(to_tsvector('catalog', part[1] || ' ' || part[2]), 'A') ||
    setweight(to_tsvector('simple', array_to_string(NEW.isbn || NEW.issn, ' ')), 'A') ||
    setweight(to_tsvector('catalog', part[3] || ' ' || part[4]), 'B') ||
    setweight(to_tsvector('catalog', part[5]), 'C') ||
    setweight(to_tsvector('catalog', part[6]), 'D');
  -- the main title and name only: each character costs a trigram in the index, and a typo is
  -- worth forgiving where readers type most (other titles stay in the words above)
  NEW.title_key := left(lower(unaccent(part[1])), 300);
  NEW.author_key := left(lower(unaccent(part[3])), 200);
  RETURN NEW;
END $$;

-- Only a change of what is searched recomputes the index columns.
DROP TRIGGER records_search ON records;
CREATE TRIGGER records_search BEFORE INSERT OR UPDATE OF title, author, isbn, issn, subjects, publisher, notes, alt_titles, alt_authors
  ON records FOR EACH ROW EXECUTE FUNCTION records_search_update();
UPDATE records SET title = title;

CREATE INDEX records_title_trgm ON records USING gin (title_key gin_trgm_ops);
CREATE INDEX records_author_trgm ON records USING gin (author_key gin_trgm_ops);
-- Looked up one key at a time (exact searches, matching on re-import): without fastupdate, so a
-- lookup never scans a pending list that a big import left behind.
CREATE INDEX records_isbn ON records USING gin (isbn) WITH (fastupdate = off);
CREATE INDEX records_issn ON records USING gin (issn) WITH (fastupdate = off);
CREATE INDEX records_system_numbers ON records USING gin (system_numbers) WITH (fastupdate = off);
-- a record with no number at all is recognised on re-import by its very MARC
CREATE INDEX records_marc_digest ON records (md5(marc)) WHERE control_number IS NULL;
-- a record whose 001 came without a 003 is matched on re-import by its 001 alone
CREATE INDEX records_bare_control ON records (control_number) WHERE control_source IS NULL AND control_number IS NOT NULL;
-- the catalog listed by title (an empty search) reads the first page from the index; the title
-- is cut so that a record with an overlong title still fits in a btree entry
CREATE INDEX records_title_order ON records (left(title, 200), id);
-- availability per record and library (search hits and facets) from the index alone
CREATE INDEX items_record_library_status ON items (record_id, owning_library_id, status);
`.execute(db);
}
