import { sql, type Kysely } from 'kysely';

// The scan and targeting read every library's tree position, calendar and notice texts, and the
// consortium's rules. They change rarely, so each process keeps them in memory and checks this
// counter in the query it runs anyway: a trigger bumps it with any change, from any process, in
// the same transaction.
// Notice texts live on the library (its templates per kind) so they come with the same facts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE library_facts_version (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  version bigint NOT NULL
);
INSERT INTO library_facts_version (id, version) VALUES (1, 1);

CREATE FUNCTION bump_library_facts_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE library_facts_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER libraries_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON libraries
  FOR EACH STATEMENT EXECUTE FUNCTION bump_library_facts_version();
CREATE TRIGGER consortium_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON consortium
  FOR EACH STATEMENT EXECUTE FUNCTION bump_library_facts_version();
CREATE TRIGGER library_closed_dates_facts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON library_closed_dates
  FOR EACH STATEMENT EXECUTE FUNCTION bump_library_facts_version();

ALTER TABLE libraries ADD COLUMN notice_templates jsonb NOT NULL DEFAULT '{}'::jsonb;
`.execute(db);
}
