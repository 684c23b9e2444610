// The check right before a notice goes out: the world may have moved since it was queued (the
// hold was cancelled, the book came back, the loan was renewed). A notice that no longer holds is
// not sent; it is cancelled with the reason, so staff can see why the patron heard nothing.

export interface QueuedNotice {
  kind: string;
  /** The due date a courtesy or overdue notice was written for. */
  dueDate: string | null;
}

/** The notice's hold and loan as they are now; null when it has none. */
export interface NoticeFacts {
  hold: { status: string; shelfExpiresAt: Date | null } | null;
  loan: { open: boolean; dueDate: string } | null;
}

export type Validity = { valid: true } | { valid: false; reason: string };

const valid: Validity = { valid: true };
const not = (reason: string): Validity => ({ valid: false, reason });

function onShelf(facts: NoticeFacts): Validity {
  if (!facts.hold) return not('the notice has no hold');
  return facts.hold.status === 'on-holds-shelf' ? valid : not(`the hold is no longer on the holds shelf (it is ${facts.hold.status})`);
}

function loanAsWritten(notice: QueuedNotice, facts: NoticeFacts): Validity {
  if (!facts.loan) return not('the notice has no loan');
  if (!facts.loan.open) return not('the item was returned');
  if (notice.dueDate !== facts.loan.dueDate) return not(`the due date changed from ${notice.dueDate ?? 'none'} to ${facts.loan.dueDate}`);
  return valid;
}

export function stillValid(notice: QueuedNotice, facts: NoticeFacts, now: Date): Validity {
  switch (notice.kind) {
    case 'hold-ready':
      return onShelf(facts);
    case 'hold-cancelled':
      // the cancellation stands whatever happens next: the patron should know of it
      return valid;
    case 'courtesy':
    case 'overdue':
      return loanAsWritten(notice, facts);
    case 'shelf-expiry-reminder': {
      const shelf = onShelf(facts);
      if (!shelf.valid) return shelf;
      const expires = facts.hold!.shelfExpiresAt;
      return expires !== null && expires.getTime() <= now.getTime() ? not('the time on the holds shelf has ended') : valid;
    }
    default:
      return not(`${notice.kind} is not a notice this version sends`);
  }
}
