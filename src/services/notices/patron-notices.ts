import { requireSignedIn, requireStaff } from '../../domain/actor';
import { invalid, notFound, ok, refuse, type Result } from '../../domain/refusal';
import type { ServiceContext } from '../context';
import { findPatronByBarcode } from '../patrons';

// GET /notices: what was told to a patron, by which channel and when. Without SMTP this is the
// in-app mailbox: the notice is delivered here and its text stays readable. A patron reads their
// own; staff read any patron's, to answer "did you tell me?" at the desk.

export interface PatronNoticeView {
  id: number;
  kind: string;
  channel: 'email' | 'phone-call';
  toAddress: string | null;
  subject: string;
  text: string;
  state: string;
  createdAt: string;
  sentAt: string | null;
  /** Why it was not sent, for a cancelled or failed notice. */
  reason: string | null;
}

export interface NoticeSearch {
  patron?: string;
  limit: number;
  offset: number;
}

async function patronToRead(ctx: ServiceContext, barcode: string | undefined): Promise<Result<number>> {
  const signedIn = requireSignedIn(ctx.actor);
  if (!signedIn.ok) return signedIn;
  const actor = signedIn.value;
  if (actor.kind === 'patron') {
    if (barcode !== undefined && barcode !== actor.barcode) return refuse('FORBIDDEN', 'A patron sees only their own notices.');
    return ok(actor.patronId);
  }
  const staff = requireStaff(actor);
  if (!staff.ok) return staff;
  if (barcode === undefined) return invalid('patron', "Name the patron whose notices to show (?patron=<card barcode>).");
  const patron = await findPatronByBarcode(ctx.db, barcode);
  return patron ? ok(patron.id) : notFound(`Patron ${barcode}`);
}

/** A patron's notices, newest first. */
export async function listPatronNotices(ctx: ServiceContext, search: NoticeSearch): Promise<Result<PatronNoticeView[]>> {
  const patronId = await patronToRead(ctx, search.patron);
  if (!patronId.ok) return patronId;
  const rows = await ctx.db
    .selectFrom('notices')
    .select(['id', 'kind', 'channel', 'to_address', 'subject', 'body', 'state', 'created_at', 'sent_at', 'cancel_reason', 'last_error'])
    .where('patron_id', '=', patronId.value)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(search.limit)
    .offset(search.offset)
    .execute();
  // the mail server's own words are for staff; a patron needs only to know it did not arrive
  const failure = (error: string | null) => (ctx.actor.kind === 'staff' ? error : 'The email could not be delivered.');
  return ok(
    rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      channel: r.channel,
      toAddress: r.to_address,
      subject: r.subject,
      text: r.body,
      state: r.state,
      createdAt: r.created_at.toISOString(),
      sentAt: r.sent_at ? r.sent_at.toISOString() : null,
      reason: r.state === 'cancelled' ? r.cancel_reason : r.state === 'failed' ? failure(r.last_error) : null,
    })),
  );
}
