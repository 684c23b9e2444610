import type { Tx } from '../context';

// The hold-ready notice, written to the outbox in the transaction that shelves the item. An email
// when the patron chose email and has an address; otherwise a phone-call task on the pickup
// library's list. The notices job sends it after commit.

export interface HoldReady {
  holdId: number;
  patronId: number;
  patronName: string;
  email: string | null;
  channel: 'email' | 'phone-call';
  pickupLibraryId: number;
  pickupLibraryName: string;
  title: string;
  shelfExpiresAt: Date;
  timezone: string;
}

function pickupBy(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(at);
}

export async function queueHoldReadyNotice(trx: Tx, notice: HoldReady, now: Date): Promise<void> {
  const by = pickupBy(notice.shelfExpiresAt, notice.timezone);
  await trx
    .insertInto('notices')
    .values({
      kind: 'hold-ready',
      channel: notice.channel,
      patron_id: notice.patronId,
      library_id: notice.pickupLibraryId,
      hold_id: notice.holdId,
      to_address: notice.channel === 'email' ? notice.email : null,
      subject: `Your hold is ready: ${notice.title}`,
      body: `Dear ${notice.patronName},\n\n"${notice.title}" is waiting for you on the holds shelf at ${notice.pickupLibraryName}. Please pick it up by ${by}.\n\n${notice.pickupLibraryName}`,
      created_at: now,
      send_after: now,
    })
    .execute();
}
