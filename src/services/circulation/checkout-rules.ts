import type { HoldStatus, HoldType } from '../../domain/holds/hold-status';
import type { ItemStatus } from '../../domain/item-status';
import { ok, type Refusal, type Result } from '../../domain/refusal';
import type { PatronRef } from '../patron-view';

// Whether an item in hand may be lent to a patron, and what the loan does to holds (DESIGN §4
// "Loans"). Plain facts in, a plan or a refusal out; the checkout service applies the plan.

export interface CheckoutItem {
  id: number;
  status: ItemStatus;
  circulates: boolean;
  volumeId: number;
  /** An open transit: the item is travelling, whatever its status says. */
  inTransit: boolean;
  /** The patron of its open loan, if any. */
  loanPatronId: number | null;
}

export interface CheckoutPatron {
  id: number;
  name: string;
  blocked: boolean;
  blockReason: string | null;
}

export interface CheckoutHold {
  id: number;
  patronId: number;
  patron: PatronRef;
  type: HoldType;
  status: HoldStatus;
  volumeId: number | null;
  itemId: number | null;
  targetItemId: number | null;
  capturedItemId: number | null;
}

export interface CheckoutPlan {
  /** The borrower's own hold that this loan fills. */
  fulfilHold: CheckoutHold | null;
  /** Another patron's hold the item was captured for, sent back to waiting by an override. */
  overriddenHold: CheckoutHold | null;
  /** Other patrons' holds that had this item on a pull list: it is no longer available to them. */
  retargetHoldIds: number[];
  /** A missing or lost item is in hand: it is found. */
  markFound: boolean;
  /** The refusals an override set aside, recorded with its reason. */
  overridden: Refusal[];
}

const captured = (status: HoldStatus): boolean => status === 'in-transit' || status === 'on-holds-shelf';

function inScope(hold: CheckoutHold, item: CheckoutItem): boolean {
  switch (hold.type) {
    case 'title':
      return true;
    case 'volume':
      return hold.volumeId === item.volumeId;
    case 'copy':
      return hold.itemId === item.id;
  }
}

/** Refusals that a staff member may set aside with a reason; the others are facts of the world. */
function overridableRefusals(item: CheckoutItem, heldFor: CheckoutHold | null): Refusal[] {
  const refusals: Refusal[] = [];
  if (heldFor) {
    const where = heldFor.status === 'on-holds-shelf' ? 'on the holds shelf' : 'set aside';
    refusals.push({
      code: 'HELD_FOR_ANOTHER',
      message: `This item is ${where} for ${heldFor.patron.name} (${heldFor.patron.barcode}). Staff may check it out anyway with a reason; that hold then goes back to waiting.`,
      details: { heldFor: heldFor.patron, holdId: heldFor.id },
    });
  }
  if (item.status === 'damaged') refusals.push({ code: 'INVALID_STATE', message: 'This item is marked damaged. Staff may check it out anyway with a reason.' });
  if (item.status === 'in-process') refusals.push({ code: 'INVALID_STATE', message: 'This item is still being processed. Staff may check it out anyway with a reason.' });
  if (!item.circulates) refusals.push({ code: 'INVALID_STATE', message: 'This item does not circulate. Staff may check it out anyway with a reason.' });
  return refusals;
}

export function planCheckout(item: CheckoutItem, patron: CheckoutPatron, holds: readonly CheckoutHold[], overrideReason: string | null): Result<CheckoutPlan> {
  if (item.inTransit || item.status === 'in-transit') {
    return { ok: false, refusal: { code: 'ITEM_IN_TRANSIT', message: 'This item is in transit: it can be lent once it has been received (scan it first).' } };
  }
  if (item.loanPatronId !== null || item.status === 'checked-out') {
    const toThisPatron = item.loanPatronId === patron.id;
    return {
      ok: false,
      refusal: { code: 'ALREADY_ON_LOAN', message: toThisPatron ? `This item is already on loan to ${patron.name}: renew it instead.` : 'This item is on loan to someone else: check it in first.' },
    };
  }
  if (patron.blocked) {
    return { ok: false, refusal: { code: 'PATRON_BLOCKED', message: `${patron.name}'s card is blocked${patron.blockReason ? `: ${patron.blockReason}` : ''}.` } };
  }
  const capturedHere = holds.find((h) => h.capturedItemId === item.id && captured(h.status)) ?? null;
  const heldFor = capturedHere && capturedHere.patronId !== patron.id ? capturedHere : null;
  // The borrower's own open hold on the record is filled by this loan, unless it already set
  // aside another copy: that copy stays bound to it until staff cancel the hold.
  const own = holds.find((h) => h.patronId === patron.id && inScope(h, item) && (h.capturedItemId === item.id || !captured(h.status))) ?? null;
  const refusals = overridableRefusals(item, heldFor);
  if (refusals.length > 0 && overrideReason === null) return { ok: false, refusal: refusals[0] };
  return ok({
    fulfilHold: own,
    overriddenHold: heldFor,
    retargetHoldIds: holds.filter((h) => h.status === 'targeted' && h.targetItemId === item.id && h.id !== own?.id).map((h) => h.id),
    markFound: item.status === 'missing' || item.status === 'lost',
    overridden: refusals,
  });
}
