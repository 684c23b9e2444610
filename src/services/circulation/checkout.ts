import { requireStaff } from '../../domain/actor';
import { dueDate } from '../../domain/circulation/shelf-expiry';
import type { HoldStatus } from '../../domain/holds/hold-status';
import type { ItemStatus } from '../../domain/item-status';
import { notFound, ok, type Result } from '../../domain/refusal';
import { recordEvent, type EventInput } from '../../db/events';
import { actorEventFields, type ServiceContext, type Tx } from '../context';
import { targetHoldsWaitingForItem } from '../holds/item-availability';
import { loadLibraryFacts } from '../holds/library-facts';
import { targetHold } from '../holds/target-hold';
import { startTargetingRun } from '../holds/targeting-run';
import { withdrawHoldReadyNotices } from '../notices/withdraw-hold-ready';
import { patronName, toPatronRef } from '../patron-view';
import { holdEventFacts } from '../reports/hold-event-facts';
import { inTransaction } from '../transaction';
import { planCheckout, type CheckoutHold, type CheckoutItem, type CheckoutPatron, type CheckoutPlan } from './checkout-rules';
import { deskLibrary } from './desk-library';
import { loadLoanView, sayDueDate, type LoanView } from './loan-view';

// Check out (DESIGN §4 "Loans"): lend an item in hand to a patron at the staff member's desk.
// One transaction: the loan, the item, the holds it fills or frees, their retargeting and events.

export interface CheckoutRequest {
  patronBarcode: string;
  itemBarcode: string;
  override?: { reason: string };
  /** The desk's library, for a consortium administrator who works for no library. */
  libraryCode?: string;
}

export interface DueDateSlip {
  kind: 'due-date';
  copies: number;
  url: string;
}

export interface CheckoutAnswer {
  loan: LoanView;
  fulfilledHoldId?: number;
  slips: DueDateSlip[];
  messages: string[];
}

interface LoadedCheckout {
  item: CheckoutItem & { barcode: string; recordId: number; loanDays: number; owningLibraryId: number; title: string };
  patron: CheckoutPatron & { barcode: string; firstName: string; lastName: string; homeLibraryId: number };
  holds: CheckoutHold[];
  /** Each hold's pickup library, for the event of the hold this loan fills. */
  pickupOf: Map<number, number>;
}

const openHoldStatuses: HoldStatus[] = ['waiting', 'targeted', 'in-transit', 'on-holds-shelf', 'suspended'];

export async function checkOut(ctx: ServiceContext, request: CheckoutRequest): Promise<Result<CheckoutAnswer>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const desk = await deskLibrary(ctx.db, staff.value, request.libraryCode);
  if (!desk.ok) return desk;
  const overrideReason = request.override?.reason ?? null;
  return inTransaction(ctx, async (trx): Promise<Result<CheckoutAnswer>> => {
    const loaded = await loadCheckout(trx, request);
    if (!loaded.ok) return loaded;
    const plan = planCheckout(loaded.value.item, loaded.value.patron, loaded.value.holds, overrideReason);
    if (!plan.ok) return plan;
    const applied = await applyCheckout(ctx, trx, desk.value, loaded.value, plan.value, overrideReason);
    const loan = (await loadLoanView(trx, applied.loanId))!;
    return ok({
      loan,
      ...(plan.value.fulfilHold ? { fulfilledHoldId: plan.value.fulfilHold.id } : {}),
      slips: [{ kind: 'due-date', copies: 1, url: `/api/v1/slips/due-date/${loan.id}` }],
      messages: applied.messages,
    });
  });
}

/** The item (locked, so two desks lending one copy take turns), the patron, and the holds in play. */
async function loadCheckout(trx: Tx, request: CheckoutRequest): Promise<Result<LoadedCheckout>> {
  const item = await trx
    .selectFrom('items')
    .innerJoin('libraries as owner', 'owner.id', 'items.owning_library_id')
    .innerJoin('records', 'records.id', 'items.record_id')
    .select(['items.id', 'items.barcode', 'items.record_id', 'items.volume_id', 'items.status', 'items.circulates', 'items.owning_library_id', 'owner.loan_days', 'records.title'])
    .where('items.barcode', '=', request.itemBarcode)
    .forUpdate('items')
    .executeTakeFirst();
  if (!item) return notFound(`Item ${request.itemBarcode}`);
  const patron = await trx
    .selectFrom('patrons')
    .select(['id', 'barcode', 'first_name', 'last_name', 'home_library_id', 'blocked', 'block_reason'])
    .where('barcode', '=', request.patronBarcode)
    .executeTakeFirst();
  if (!patron) return notFound(`Patron ${request.patronBarcode}`);
  const [transit, loan, holds] = await Promise.all([
    trx.selectFrom('transits').select('id').where('item_id', '=', item.id).where('received_at', 'is', null).where('cancelled_at', 'is', null).executeTakeFirst(),
    trx.selectFrom('loans').select('patron_id').where('item_id', '=', item.id).where('returned_at', 'is', null).executeTakeFirst(),
    trx
      .selectFrom('holds')
      .innerJoin('patrons', 'patrons.id', 'holds.patron_id')
      .select([
        'holds.id',
        'holds.patron_id',
        'holds.type',
        'holds.status',
        'holds.volume_id',
        'holds.item_id',
        'holds.target_item_id',
        'holds.captured_item_id',
        'holds.pickup_library_id',
        'patrons.barcode',
        'patrons.first_name',
        'patrons.last_name',
      ])
      .where('holds.record_id', '=', item.record_id)
      .where('holds.status', 'in', openHoldStatuses)
      .where((eb) => eb.or([eb('holds.captured_item_id', '=', item.id), eb('holds.target_item_id', '=', item.id), eb('holds.patron_id', '=', patron.id)]))
      .orderBy('holds.id')
      .forUpdate('holds')
      .execute(),
  ]);
  return ok({
    item: {
      id: item.id,
      barcode: item.barcode,
      recordId: item.record_id,
      volumeId: item.volume_id,
      status: item.status as ItemStatus,
      circulates: item.circulates,
      loanDays: item.loan_days,
      owningLibraryId: item.owning_library_id,
      title: item.title,
      inTransit: transit !== undefined,
      loanPatronId: loan?.patron_id ?? null,
    },
    patron: {
      id: patron.id,
      name: patronName(patron.first_name, patron.last_name),
      blocked: patron.blocked,
      blockReason: patron.block_reason,
      barcode: patron.barcode,
      firstName: patron.first_name,
      lastName: patron.last_name,
      homeLibraryId: patron.home_library_id,
    },
    holds: holds.map((h) => ({
      id: h.id,
      patronId: h.patron_id,
      patron: toPatronRef(h),
      type: h.type,
      status: h.status as HoldStatus,
      volumeId: h.volume_id,
      itemId: h.item_id,
      targetItemId: h.target_item_id,
      capturedItemId: h.captured_item_id,
    })),
    pickupOf: new Map(holds.map((h) => [h.id, h.pickup_library_id])),
  });
}

async function applyCheckout(ctx: ServiceContext, trx: Tx, here: number, loaded: LoadedCheckout, plan: CheckoutPlan, overrideReason: string | null): Promise<{ loanId: number; messages: string[] }> {
  const { item, patron } = loaded;
  const now = ctx.clock.now();
  const libraries = await loadLibraryFacts(trx);
  // the owning library sets the loan period; the desk's calendar, where it comes back, the day
  const due = dueDate(now, item.loanDays, { calendar: libraries.calendar(here), timezone: libraries.timezone(here) });
  const overriding = plan.overridden.length > 0;
  const base: Omit<EventInput, 'kind'> = { at: now, ...actorEventFields(ctx.actor), item_id: item.id, record_id: item.recordId, library_id: here, patron_id: patron.id };
  const messages = [`Due back at ${libraries.ref(here).name} on ${sayDueDate(due)}.`];
  if (plan.markFound) {
    await recordEvent(trx, { ...base, kind: 'item-found', data: { before: item.status, by: 'checkout' } });
    messages.push(`This item was marked ${item.status}: it is found now.`);
  }
  const loan = await trx
    .insertInto('loans')
    .values({
      item_id: item.id,
      patron_id: patron.id,
      library_id: here,
      hold_id: plan.fulfilHold?.id ?? null,
      checked_out_at: now,
      checked_out_by_staff_id: ctx.actor.kind === 'staff' ? ctx.actor.staffId : null,
      due_date: due,
      override_reason: overriding ? overrideReason : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // one circulation per check-out (and per renewal); scans never count
  await trx
    .updateTable('items')
    .set((eb) => ({ status: 'checked-out', current_library_id: here, circulation_count: eb('circulation_count', '+', 1), updated_at: now }))
    .where('id', '=', item.id)
    .execute();
  await recordEvent(trx, { ...base, kind: 'item-checked-out', loan_id: loan.id, hold_id: plan.fulfilHold?.id ?? null, data: { dueDate: due, before: item.status } });
  if (overriding) {
    await recordEvent(trx, { ...base, kind: 'checkout-override', loan_id: loan.id, hold_id: plan.overriddenHold?.id ?? null, reason: overrideReason, data: { overridden: plan.overridden.map((r) => ({ code: r.code, message: r.message })) } });
    messages.push(`Checked out by override: ${overrideReason}.`);
  }
  const hold = plan.fulfilHold;
  if (hold) {
    await trx
      .updateTable('holds')
      .set((eb) => ({
        status: 'fulfilled',
        fulfilled_at: now,
        // the copy that filled it, for the holds report; a target elsewhere is let go
        captured_item_id: item.id,
        captured_at: eb.fn.coalesce('captured_at', eb.val(now)),
        target_item_id: hold.targetItemId === item.id ? item.id : null,
      }))
      .where('id', '=', hold.id)
      .execute();
    await withdrawHoldReadyNotices(trx, hold.id);
    await recordEvent(trx, {
      ...base,
      kind: 'hold-fulfilled',
      loan_id: loan.id,
      hold_id: hold.id,
      data: {
        previousStatus: hold.status,
        ...holdEventFacts({
          barcode: patron.barcode,
          firstName: patron.firstName,
          lastName: patron.lastName,
          homeLibraryCode: libraries.ref(patron.homeLibraryId).code,
          title: item.title,
          pickupLibraryCode: libraries.ref(loaded.pickupOf.get(hold.id)!).code,
        }),
        // the copy in hand fills the hold, whichever copy was captured for it before
        lendingLibrary: libraries.ref(item.owningLibraryId).code,
      },
    });
    messages.push(`Hold ${hold.id} of ${patron.name} is fulfilled.`);
  }
  const other = plan.overriddenHold;
  if (other) {
    await trx
      .updateTable('holds')
      .set({ status: 'waiting', captured_item_id: null, captured_at: null, shelved_at: null, shelf_expires_at: null, target_item_id: null, targeted_at: null })
      .where('id', '=', other.id)
      .execute();
    await withdrawHoldReadyNotices(trx, other.id);
    await recordEvent(trx, { ...base, kind: 'hold-waiting', hold_id: other.id, patron_id: other.patronId, reason: 'checkout-override', data: { previousStatus: other.status, lentTo: patron.id } });
  }
  const run = await startTargetingRun(trx, ctx, libraries);
  if (other) {
    const outcome = await targetHold(run, other.id, 'target-unavailable');
    messages.push(`${other.patron.name}'s hold ${other.id} goes back to waiting and ${outcome.status === 'targeted' ? 'is targeted to another copy' : 'waits for another copy'}.`);
  }
  // holds that had this copy on a pull list choose another: it is out on loan now
  for (const id of plan.retargetHoldIds) {
    await targetHold(run, id, 'target-unavailable');
    messages.push(`Hold ${id} had this item on a pull list: it is retargeted.`);
  }
  if (hold && hold.targetItemId !== null && hold.targetItemId !== item.id) await targetHoldsWaitingForItem(run, hold.targetItemId);
  return { loanId: loan.id, messages };
}
