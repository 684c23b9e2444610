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
      consortiumCode ??= (await db.selectFrom('consortium').select('code').executeTakeFirstOrThrow()).code;
      try {
        await delivery.mailer.send({
          messageId: noticeMessageId(notice.id, consortiumCode),
          to: notice.to_address,
          replyTo: notice.library_email,
          subject: notice.subject,
          text: notice.body,
        });
      } catch (error) {
        const state = await markTryFailed(db, notice, error instanceof Error ? error.message : String(error), clock.now());
        summary[state === 'failed' ? 'failed' : 'retrying']++;
        failuresInARow++;
        continue;
      }
    }
    failuresInARow = 0;
    await markSent(db, notice.id, clock.now());
    summary.sent++;
  }
  return summary;
}

function factsOf(n: ClaimedNotice) {
  return {
    hold: n.hold_status === null ? null : { status: n.hold_status, shelfExpiresAt: n.shelf_expires_at },
    loan: n.loan_due_date === null ? null : { open: n.loan_returned_at === null, dueDate: n.loan_due_date },
  };
}
