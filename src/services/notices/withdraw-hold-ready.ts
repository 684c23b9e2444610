import type { Tx } from '../context';

// A hold-ready notice not yet sent (an email in the outbox, a phone call not yet made) stops
// applying once its hold is fulfilled, cancelled or sent back to waiting: withdraw it in the same
// transaction, so that no patron is told to collect an item that is no longer there for them and
// no one at the desk phones them for nothing. The shelf-expiry reminder goes with it.
//
// An email a sender has claimed is left to that sender: it may already be on its way, and the row
// must then say 'sent', not 'cancelled'. The sender looks at the hold right before sending and
// withdraws the notice itself when the hold has left the shelf (send-notices.ts), as does the
// next sender when the claim ran out with its process.
export async function withdrawHoldReadyNotices(trx: Tx, holdId: number): Promise<void> {
  await trx
    .updateTable('notices')
    .set({ state: 'cancelled', cancel_reason: 'the hold was picked up, cancelled or sent back before the notice went out', claimed_until: null, claimed_backend: null })
    .where('hold_id', '=', holdId)
    .where('kind', 'in', ['hold-ready', 'shelf-expiry-reminder'])
    .where('state', '=', 'pending')
    .where('claimed_until', 'is', null)
    .execute();
}
