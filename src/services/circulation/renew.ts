import { sql } from 'kysely';
import { requireSignedIn, requireStaff } from '../../domain/actor';
import { dueDate } from '../../domain/circulation/shelf-expiry';
import { exclusionOf, inScope, type ItemForHold } from '../../domain/targeting/eligibility';
import { notFound, ok, refuse, type Result } from '../../domain/refusal';
import { recordEvent } from '../../db/events';
import { actorEventFields, type ServiceContext, type Tx } from '../context';
import { loadLibraryFacts, type LibraryFacts } from '../holds/library-facts';
import { loadItemsForHold } from '../holds/target-hold';
import { inTransaction } from '../transaction';
import { loadLoanView, type LoanView } from './loan-view';

// Renewing a loan (DESIGN §4 "Loans"): a new due date counted from today, as Evergreen does, and
// never earlier than the one the patron already has. Refused when another patron is waiting for
// this very copy, or after the fifth renewal.

export const maxRenewals = 5;

export async function renewLoan(ctx: ServiceContext, itemBarcode: string): Promise<Result<{ loan: LoanView }>> {
  const signedIn = requireSignedIn(ctx.actor);
  if (!signedIn.ok) return signedIn;
  if (signedIn.value.kind === 'staff') {
    const staff = requireStaff(signedIn.value);
    if (!staff.ok) return staff;
  }
  return inTransaction(ctx, async (trx): Promise<Result<{ loan: LoanView }>> => {
    const now = ctx.clock.now();
    const item = await trx
      .selectFrom('items')
      .innerJoin('libraries as owner', 'owner.id', 'items.owning_library_id')
      .select(['items.id', 'items.record_id', 'owner.loan_days'])
      .where('items.barcode', '=', itemBarcode)
      .forUpdate('items')
      .executeTakeFirst();
    if (!item) return notFound(`Item ${itemBarcode}`);
    const loan = await trx
      .selectFrom('loans')
      .innerJoin('patrons', 'patrons.id', 'loans.patron_id')
      .select(['loans.id', 'loans.patron_id', 'loans.library_id', 'loans.due_date', 'loans.renewals', 'patrons.first_name', 'patrons.blocked', 'patrons.block_reason'])
      .where('loans.item_id', '=', item.id)
      .where('loans.returned_at', 'is', null)
      .executeTakeFirst();
    if (ctx.actor.kind === 'patron' && loan?.patron_id !== ctx.actor.patronId) {
      // a patron learns nothing about other people's loans, not even whether there is one
      return refuse('FORBIDDEN', 'A patron renews only their own loans.');
    }
    if (!loan) return refuse('NOT_ON_LOAN', `Item ${itemBarcode} is not on loan, so there is nothing to renew.`);
    if (loan.blocked) return refuse('PATRON_BLOCKED', `This card is blocked${loan.block_reason ? `: ${loan.block_reason}` : ''}; loans on it cannot be renewed.`);
    if (loan.renewals >= maxRenewals) return refuse('RENEWAL_REFUSED', `This loan has been renewed ${maxRenewals} times, the most allowed: please return it.`);
    const libraries = await loadLibraryFacts(trx);
    if (await anotherPatronWaits(trx, item.id, item.record_id, loan.patron_id, libraries, now)) {
      return refuse('RENEWAL_REFUSED', 'Another patron is waiting for this copy: it cannot be renewed. Please return it by its due date.');
    }
    // counted from today at the desk that lent it (where it comes back), never shortening the loan
    const fromToday = dueDate(now, item.loan_days, { calendar: libraries.calendar(loan.library_id), timezone: libraries.timezone(loan.library_id) });
    const due = fromToday > loan.due_date ? fromToday : loan.due_date;
    await trx.updateTable('loans').set({ due_date: due, renewals: loan.renewals + 1 }).where('id', '=', loan.id).execute();
    await trx
      .updateTable('items')
      .set((eb) => ({ circulation_count: eb('circulation_count', '+', 1), updated_at: now }))
      .where('id', '=', item.id)
      .execute();
    await recordEvent(trx, {
      at: now,
      kind: 'loan-renewed',
      ...actorEventFields(ctx.actor),
      item_id: item.id,
      record_id: item.record_id,
      loan_id: loan.id,
      patron_id: loan.patron_id,
      library_id: ctx.actor.kind === 'staff' ? ctx.actor.libraryId : null,
      data: { from: loan.due_date, to: due, renewals: loan.renewals + 1 },
    });
    return ok({ loan: (await loadLoanView(trx, loan.id))! });
  });
}

/**
 * Whether another patron's hold needs this copy: one bound to it (targeted or captured), or one
 * still waiting that this copy could fill. A waiting hold has no other copy free (targeting would
 * have given it one), so keeping this copy out keeps that patron waiting.
 */
async function anotherPatronWaits(trx: Tx, itemId: number, recordId: number, borrowerId: number, libraries: LibraryFacts, now: Date): Promise<boolean> {
  const holds = await trx
    .selectFrom('holds')
    .innerJoin('patrons', 'patrons.id', 'holds.patron_id')
    .select([
      'holds.id',
      'holds.type',
      'holds.status',
      'holds.volume_id',
      'holds.item_id',
      'holds.pickup_library_id',
      'patrons.home_library_id',
      sql<number[]>`coalesce((SELECT array_agg(library_id) FROM hold_exclusions x WHERE x.hold_id = holds.id AND x.reason = 'refused'), '{}')`.as('refused'),
    ])
    .where('holds.record_id', '=', recordId)
    .where('holds.patron_id', '!=', borrowerId)
    .where((eb) =>
      eb.or([
        eb('holds.status', '=', 'waiting'),
        eb.and([eb('holds.status', 'in', ['targeted', 'in-transit', 'on-holds-shelf']), eb.or([eb('holds.target_item_id', '=', itemId), eb('holds.captured_item_id', '=', itemId)])]),
      ]),
    )
    .execute();
  if (holds.some((h) => h.status !== 'waiting')) return true;
  if (holds.length === 0) return false;
  const item: ItemForHold | undefined = (await loadItemsForHold(trx, recordId)).find((i) => i.id === itemId);
  if (!item) return false;
  // judged as if it were back on the shelf: could it fill the hold then?
  const onShelf = { ...item, status: 'available' };
  return holds.some((h) => {
    const hold = { id: h.id, type: h.type, volumeId: h.volume_id, itemId: h.item_id, pickupLibraryId: h.pickup_library_id, patronHomeLibraryId: h.home_library_id };
    const facts = { tree: libraries.tree, takenItemIds: new Set<number>(), refusedLibraryIds: new Set(h.refused), todayAt: (id: number) => libraries.todayAt(id, now) };
    return inScope(hold, onShelf) && exclusionOf(hold, onShelf, facts) === null;
  });
}
