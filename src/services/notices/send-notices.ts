import type { Kysely } from 'kysely';
import { noticeMessageId } from '../../domain/notices/delivery';
import { stillValid } from '../../domain/notices/still-valid';
import type { Database } from '../../db/schema';
import type { Clock } from '../clock';
import type { Mailer } from './mailer';
import { claimNextNotice, markCancelled, markSent, markTryFailed, type ClaimedNotice } from './outbox';

// Sending the outbox (job `notices`): claim one due email, check it still holds, send it, mark
// it — one at a time, so that a claim never outlives its lease and any number of processes share
// the queue. Phone-call rows are tasks for staff (GET /libraries/:code/phone-calls), never sent.

export interface Delivery {
  /** SMTP; without it notices are delivered to the in-app mailbox (GET /notices). */
  mailer?: Mailer;
  /**
   * This process's long-lived database session (PostgreSQL's LISTEN connection), whose end
   * frees the claims it took; null or absent: claims wait for their lease to run out.
   */
  liveSession?: () => number | null;
}

export interface SendSummary {
  channel: 'smtp' | 'mailbox';
  sent: number;
  cancelled: number;
  retrying: number;
  failed: number;
}

/** Enough for one run; the rest waits for the next run a minute later, so other jobs get their turn. */
const mostPerRun = 2_000;
/** Failures in a row that mean the server is down, not one address refused: the rest waits for the next run. */
const failuresThatEndARun = 3;

export async function sendDueNotices(db: Kysely<Database>, clock: Clock, delivery: Delivery = {}): Promise<SendSummary> {
  const summary: SendSummary = { channel: delivery.mailer ? 'smtp' : 'mailbox', sent: 0, cancelled: 0, retrying: 0, failed: 0 };
  let consortiumCode: string | undefined;
  let failuresInARow = 0;
  for (let i = 0; i < mostPerRun && failuresInARow < failuresThatEndARun; i++) {
    const notice = await claimNextNotice(db, clock.now(), delivery.liveSession?.() ?? null);
    if (!notice) break;
    const validity = stillValid({ kind: notice.kind, dueDate: notice.due_date }, factsOf(notice), clock.now());
    if (!validity.valid) {
      await markCancelled(db, notice, validity.reason, clock.now());
      summary.cancelled++;
      continue;
    }
    if (delivery.mailer) {
      const mailer = delivery.mailer;
      consortiumCode ??= (await db.selectFrom('consortium').select('code').executeTakeFirstOrThrow()).code;
      const mail = {
        messageId: noticeMessageId(notice.id, consortiumCode),
        to: notice.to_address,
        replyTo: notice.library_email,
        subject: notice.subject,
        text: notice.body,
      };
      const failure = await withMarkingConnection(db, delivery, async (marker) => {
        try {
          await mailer.send(mail);
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
        await markSent(marker, notice.id, clock.now());
        return null;
      });
      if (failure !== null) {
        const state = await markTryFailed(db, notice, failure, clock.now());
        summary[state === 'failed' ? 'failed' : 'retrying']++;
        failuresInARow++;
        continue;
      }
    } else {
      await markSent(db, notice.id, clock.now());
    }
    failuresInARow = 0;
    summary.sent++;
  }
  return summary;
}

/**
 * A crash between the SMTP server's acceptance and the mark sends the message again (under the
 * same Message-ID, which mail systems collapse). On a server database, where this process has a
 * session of its own and a pool of connections, the mark's connection is taken before sending:
 * then that moment is one round trip, never a wait for a free connection behind busy desks. The
 * embedded database has one connection, which no send may hold.
 */
async function withMarkingConnection<T>(db: Kysely<Database>, delivery: Delivery, work: (marker: Kysely<Database>) => Promise<T>): Promise<T> {
  if ((delivery.liveSession?.() ?? null) === null) return work(db);
  return db.connection().execute(work);
}

function factsOf(n: ClaimedNotice) {
  return {
    hold: n.hold_status === null ? null : { status: n.hold_status, shelfExpiresAt: n.shelf_expires_at },
    loan: n.loan_due_date === null ? null : { open: n.loan_returned_at === null, dueDate: n.loan_due_date },
  };
}
