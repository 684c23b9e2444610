import { sql, type Kysely } from 'kysely';
import { afterFailure, claimLeaseMs } from '../../domain/notices/delivery';
import { recordEvent } from '../../db/events';
import type { Database } from '../../db/schema';

// The outbox table's claims and marks. Each is one short statement (or one short transaction):
// nothing stays open while an SMTP server answers, which on the embedded database (one
// connection) would stop every other request, and on PostgreSQL would hold a connection and
// row locks for as long as a slow server takes.

/** A notice claimed for sending, with its hold and loan as they are now. */
export interface ClaimedNotice {
  id: string;
  kind: string;
  patron_id: number;
  library_id: number;
  hold_id: number | null;
  loan_id: number | null;
  to_address: string;
  subject: string;
  body: string;
  attempts: number;
  due_date: string | null;
  hold_status: string | null;
  shelf_expires_at: Date | null;
  loan_returned_at: Date | null;
  loan_due_date: string | null;
  library_email: string | null;
}

/**
 * Claims the next due email, skipping rows another process has locked or holds a live claim on.
 * A claim is free again when its lease has run out, or when the session that took it
 * (`backend`, this process's listening connection) has ended: the process crashed, and its
 * notices go out again at once rather than after the lease.
 */
export async function claimNextNotice(db: Kysely<Database>, now: Date, backend: number | null): Promise<ClaimedNotice | undefined> {
  const leaseEnd = new Date(now.getTime() + claimLeaseMs);
  const { rows } = await sql<ClaimedNotice>`
    WITH claimed AS (
      UPDATE notices SET claimed_until = ${leaseEnd}, claimed_backend = ${backend}::integer
      WHERE id = (
        SELECT n.id FROM notices n
        WHERE n.state = 'pending' AND n.channel = 'email' AND n.send_after <= ${now}
          AND (n.claimed_until IS NULL OR n.claimed_until <= ${now}
            OR (n.claimed_backend IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = n.claimed_backend)))
        ORDER BY n.send_after, n.id
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, patron_id, library_id, hold_id, loan_id, to_address, subject, body, attempts, due_date)
    SELECT c.*, h.status AS hold_status, h.shelf_expires_at, l.returned_at AS loan_returned_at, l.due_date AS loan_due_date,
      lib.email AS library_email
    FROM claimed c
    JOIN libraries lib ON lib.id = c.library_id
    LEFT JOIN holds h ON h.id = c.hold_id
    LEFT JOIN loans l ON l.id = c.loan_id`.execute(db);
  return rows[0];
}

/** Sent (or put in the mailbox). Only a pending row changes: a notice withdrawn meanwhile stays withdrawn. */
export async function markSent(db: Kysely<Database>, id: string, now: Date): Promise<void> {
  await db
    .updateTable('notices')
    .set((eb) => ({ state: 'sent', sent_at: now, attempts: eb('attempts', '+', 1), last_error: null, claimed_until: null, claimed_backend: null }))
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .execute();
}

/** Not sent because it no longer holds; the reason stays on the row and in the notice's event. */
export async function markCancelled(db: Kysely<Database>, notice: ClaimedNotice, reason: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('notices')
      .set({ state: 'cancelled', cancel_reason: reason, claimed_until: null, claimed_backend: null })
      .where('id', '=', notice.id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (changed.numUpdatedRows > 0n) await recordEvent(trx, noticeEvent(notice, 'notice-cancelled', reason, now));
  });
}

/** A failed try: back in the queue after a wait that doubles each time, or failed after the last try. */
export async function markTryFailed(db: Kysely<Database>, notice: ClaimedNotice, error: string, now: Date): Promise<'pending' | 'failed'> {
  const attempts = notice.attempts + 1;
  const next = afterFailure(attempts, now);
  const lastError = error.slice(0, 1000);
  await db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('notices')
      .set({
        state: next.state,
        attempts,
        last_error: lastError,
        ...(next.state === 'pending' ? { send_after: next.sendAfter } : {}),
        claimed_until: null,
        claimed_backend: null,
      })
      .where('id', '=', notice.id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (changed.numUpdatedRows > 0n && next.state === 'failed') await recordEvent(trx, noticeEvent(notice, 'notice-failed', lastError, now));
  });
  return next.state;
}

function noticeEvent(notice: ClaimedNotice, kind: string, reason: string, at: Date) {
  return {
    at,
    kind,
    patron_id: notice.patron_id,
    library_id: notice.library_id,
    hold_id: notice.hold_id,
    loan_id: notice.loan_id,
    reason,
    data: { notice: Number(notice.id), noticeKind: notice.kind, attempts: notice.attempts },
  };
}

/**
 * Frees every claim: for the embedded database at start, where no other process can be sending
 * (only one process opens its folder), so a crash's claims need not wait for their lease.
 */
export async function releaseAllClaims(db: Kysely<Database>): Promise<void> {
  await db.updateTable('notices').set({ claimed_until: null, claimed_backend: null }).where('state', '=', 'pending').where('claimed_until', 'is not', null).execute();
}
