import type { Insertable } from 'kysely';
import { momentInWords } from '../../domain/notices/notice-wording';
import type { NoticesTable, OpeningHours } from '../../db/schema';
import { composeNotice } from './notice-library';

// The hold-ready notice, written to the outbox in the transaction that shelves the item (the
// scan puts the row into its one applying statement). An email when the patron chose email and
// has an address; otherwise a phone-call task on the pickup library's list, worded the same so
// that staff may read it out or leave it as a message. The notices job sends it after commit.

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
  /** The pickup library's own notice texts by kind (libraries.notice_templates). */
  templates: Record<string, { subject: string; body: string }>;
  openingHours: OpeningHours;
}

export type NoticeRow = Insertable<NoticesTable>;

/** The outbox row of a hold-ready notice, in the pickup library's words; no database work. */
export function holdReadyNotice(notice: HoldReady, now: Date): NoticeRow {
  const text = composeNotice(
    'hold-ready',
    { name: notice.pickupLibraryName, openingHours: notice.openingHours, templates: notice.templates },
    { patronName: notice.patronName, title: notice.title, pickupBy: momentInWords(notice.shelfExpiresAt, notice.timezone) },
  );
  return {
    kind: 'hold-ready',
    channel: notice.channel,
    patron_id: notice.patronId,
    library_id: notice.pickupLibraryId,
    hold_id: notice.holdId,
    to_address: notice.channel === 'email' ? notice.email : null,
    subject: text.subject,
    body: text.body,
    created_at: now,
    send_after: now,
  };
}
