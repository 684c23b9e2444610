import { sql, type Kysely } from 'kysely';

// Every process keeps the staff members signed in at its desks in memory (services/
// session-cache.ts). Whatever could make such a memory wrong announces itself after commit on
// tamarack_sessions, and every listening process forgets them all: a session ending (sign-out,
// sign-out everywhere, a password change, idle expiry), a staff account changing (role,
// library, deactivation) or a library changing (its code is part of the signed-in staff member).
// Statement-level: one notification per statement, and PostgreSQL folds identical ones per
// transaction. A session's touch (an UPDATE of last_seen_at) announces nothing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE FUNCTION notify_sign_ins_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tamarack_sessions', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER sessions_ended AFTER DELETE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_sign_ins_changed();
CREATE TRIGGER staff_changed AFTER UPDATE OR DELETE ON staff
  FOR EACH STATEMENT EXECUTE FUNCTION notify_sign_ins_changed();
CREATE TRIGGER libraries_changed AFTER UPDATE OR DELETE ON libraries
  FOR EACH STATEMENT EXECUTE FUNCTION notify_sign_ins_changed();
`.execute(db);
}
