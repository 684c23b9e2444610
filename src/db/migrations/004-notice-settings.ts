import { sql, type Kysely } from 'kysely';

// Sending notices (DESIGN §4 "Notices"): the consortium's courtesy-notice lead time, and what the
// outbox needs to send each notice exactly once from any number of processes without holding a
// transaction open while an SMTP server answers:
// - a claim is a lease (claimed_until) another process may take over once it runs out, or at
//   once when the claiming process's database session (claimed_backend) is gone — it crashed;
// - a notice not sent says why (cancel_reason); a loan notice remembers the due date it was
//   written for, so a renewed loan does not get a stale one; a phone call remembers when it was made;
// - a courtesy or overdue notice goes once per loan (notices_once_per_loan), a shelf-expiry
//   reminder once per hold;
// - queuing an email wakes the senders (LISTEN tamarack_notices) after commit; polling stays the
//   fallback.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE consortium ADD COLUMN courtesy_notice_days integer NOT NULL DEFAULT 3
  CHECK (courtesy_notice_days BETWEEN 0 AND 30);

ALTER TABLE notices
  ADD COLUMN claimed_until timestamptz,
  ADD COLUMN claimed_backend integer,
  ADD COLUMN cancel_reason text,
  ADD COLUMN due_date date,
  ADD COLUMN done_at timestamptz;

-- the senders' queue: phone calls stay pending until staff make them, and must not be in the way
CREATE INDEX notices_email_queue ON notices (send_after, id) WHERE state = 'pending' AND channel = 'email';
CREATE UNIQUE INDEX notices_once_per_hold_reminder ON notices (hold_id) WHERE kind = 'shelf-expiry-reminder';

CREATE FUNCTION notify_notice_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- one notification per transaction: PostgreSQL folds identical ones
  PERFORM pg_notify('tamarack_notices', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER notices_queued AFTER INSERT ON notices
  FOR EACH ROW WHEN (NEW.channel = 'email' AND NEW.state = 'pending') EXECUTE FUNCTION notify_notice_queued();
`.execute(db);
}
