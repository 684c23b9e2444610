import { requireOwnLibrary, requireStaff } from '../../domain/actor';
import { notFound, ok, refuse, type Result } from '../../domain/refusal';
import { recordEvent } from '../../db/events';
import { libraryForStaff, type Paging } from '../circulation/library-lists';
import { actorEventFields, type Db, type ServiceContext } from '../context';
import { toPatronRef, type PatronRef } from '../patron-view';
import { inTransaction } from '../transaction';

// The phone-call list (DESIGN §4 "Notices"): a patron who cannot be emailed hears by phone that
// a hold is ready (or was not picked up). Each call is a notice on the 'phone-call' channel of the
// pickup library, never sent by the job; staff make the call and mark it done with the outcome.

export type CallOutcome = 'reached' | 'left-message' | 'no-answer';

export interface PhoneCallView {
  id: number;
  kind: string;
  state: string;
  patron: PatronRef;
  phone: string | null;
  title: string | null;
  hold: { id: number } | null;
  /** The end of the item's time on the holds shelf, when the call is about a held item. */
  pickupBy: string | null;
  subject: string;
  text: string;
  createdAt: string;
  outcome: CallOutcome | null;
  note: string | null;
  doneAt: string | null;
}

function callQuery(db: Db) {
  return db
    .selectFrom('notices as n')
    .innerJoin('patrons as p', 'p.id', 'n.patron_id')
    .leftJoin('holds as h', 'h.id', 'n.hold_id')
    .leftJoin('records as r', 'r.id', 'h.record_id')
    .select([
      'n.id',
      'n.kind',
      'n.state',
      'n.library_id',
      'n.subject',
      'n.body',
      'n.created_at',
      'n.outcome',
      'n.outcome_note',
      'n.done_at',
      'n.hold_id',
      'p.barcode',
      'p.first_name',
      'p.last_name',
      'p.phone',
      'r.title',
      'h.shelf_expires_at',
    ])
    .where('n.channel', '=', 'phone-call');
}

type CallRow = Awaited<ReturnType<ReturnType<typeof callQuery>['executeTakeFirstOrThrow']>>;

function toView(r: CallRow): PhoneCallView {
  return {
    id: Number(r.id),
    kind: r.kind,
    state: r.state,
    patron: toPatronRef(r),
    phone: r.phone,
    title: r.title,
    hold: r.hold_id === null ? null : { id: r.hold_id },
    pickupBy: r.kind === 'hold-ready' && r.shelf_expires_at ? r.shelf_expires_at.toISOString() : null,
    subject: r.subject,
    text: r.body,
    createdAt: r.created_at.toISOString(),
    outcome: r.outcome as CallOutcome | null,
    note: r.outcome_note,
    doneAt: r.done_at ? r.done_at.toISOString() : null,
  };
}

/** GET /libraries/:code/phone-calls: the calls still to make at this pickup library, oldest first. */
export async function listPhoneCalls(ctx: ServiceContext, code: string, paging: Paging): Promise<Result<PhoneCallView[]>> {
  const library = await libraryForStaff(ctx, code);
  if (!library.ok) return library;
  const rows = await callQuery(ctx.db)
    .where('n.library_id', '=', library.value.id)
    .where('n.state', '=', 'pending')
    .orderBy('n.created_at')
    .orderBy('n.id')
    .limit(paging.limit)
    .offset(paging.offset)
    .execute();
  return ok(rows.map(toView));
}

/** POST /phone-calls/:id/done: the call was made; by the pickup library's staff, once. */
export async function markPhoneCallDone(ctx: ServiceContext, id: number, outcome: CallOutcome, note?: string): Promise<Result<PhoneCallView>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const done = await inTransaction(ctx, async (trx): Promise<Result<null>> => {
    const call = await trx
      .selectFrom('notices as n')
      .innerJoin('libraries as l', 'l.id', 'n.library_id')
      .select(['n.id', 'n.state', 'n.kind', 'n.library_id', 'n.patron_id', 'n.hold_id', 'l.code'])
      .where('n.id', '=', String(id))
      .where('n.channel', '=', 'phone-call')
      .forUpdate('n')
      .executeTakeFirst();
    if (!call) return notFound(`Phone call ${id}`);
    const own = requireOwnLibrary(staff.value, call.library_id, call.code);
    if (!own.ok) return own;
    if (call.state === 'done') return refuse('INVALID_STATE', 'This call is already marked done.');
    if (call.state !== 'pending') return refuse('INVALID_STATE', 'This call was withdrawn: the hold was picked up, cancelled or sent back, so there is no call to make.');
    const now = ctx.clock.now();
    await trx
      .updateTable('notices')
      .set({ state: 'done', outcome, outcome_note: note ?? null, done_by_staff_id: staff.value.staffId, done_at: now })
      .where('id', '=', call.id)
      .execute();
    await recordEvent(trx, {
      at: now,
      kind: 'phone-call-done',
      ...actorEventFields(ctx.actor),
      library_id: call.library_id,
      patron_id: call.patron_id,
      hold_id: call.hold_id,
      reason: outcome,
      data: { notice: id, noticeKind: call.kind, outcome, note: note ?? null },
    });
    return ok(null);
  });
  if (!done.ok) return done;
  return ok(toView(await callQuery(ctx.db).where('n.id', '=', String(id)).executeTakeFirstOrThrow()));
}
