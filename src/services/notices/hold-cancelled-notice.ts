import type { Tx } from '../context';
import { composeNotice, loadNoticeLibraries } from './notice-library';

// The hold-cancelled notice to the patron, written to the outbox in the cancelling transaction,
// in the pickup library's words. Only by email: phone-call tasks are for items ready to collect,
// not for news that one is not.

export interface HoldCancelled {
  holdId: number;
  patronId: number;
  patronName: string;
  email: string | null;
  /** The hold's notice choice. */
  notifyBy: readonly string[];
  pickupLibraryId: number;
  pickupLibraryName: string;
  title: string;
  /** Why, in words the patron reads. */
  reason: string;
}

/** Queues the email when the patron chose email and has an address; answers whether it did. */
export async function queueHoldCancelledNotice(trx: Tx, notice: HoldCancelled, now: Date): Promise<boolean> {
  if (!notice.notifyBy.includes('email') || !notice.email) return false;
  const library = (await loadNoticeLibraries(trx, [notice.pickupLibraryId])).get(notice.pickupLibraryId)!;
  const text = composeNotice('hold-cancelled', { ...library, name: notice.pickupLibraryName }, { patronName: notice.patronName, title: notice.title, reason: notice.reason });
  await trx
    .insertInto('notices')
    .values({
      kind: 'hold-cancelled',
      channel: 'email',
      patron_id: notice.patronId,
      library_id: notice.pickupLibraryId,
      hold_id: notice.holdId,
      to_address: notice.email,
      subject: text.subject,
      body: text.body,
      created_at: now,
      send_after: now,
    })
    .execute();
  return true;
}
