import type { HoldStatus } from '../../src/domain/holds/hold-status';
import type { Action, Answer, Model } from './circulation-reference-model';
import { expectedShelfExpiry, localDate, localTime } from './model-calendar';
import type { HoldRow, Snapshot } from './model-snapshot';

// The reference model's checks of every hold after a step: each status move is one DESIGN allows,
// terminal holds never change, a hold ends only by the step that may end it, refused libraries
// are never targeted again, suspensions last until their date, and shelf expiries fall on days
// the pickup library is open.

const shelfDays = 7;

/** DESIGN §4 and hold-status.ts: where each status may go next in one step. */
const moves: Record<HoldStatus, readonly HoldStatus[]> = {
  waiting: ['targeted', 'in-transit', 'on-holds-shelf', 'suspended', 'fulfilled', 'cancelled'],
  targeted: ['waiting', 'in-transit', 'on-holds-shelf', 'suspended', 'fulfilled', 'cancelled'],
  suspended: ['waiting', 'targeted', 'fulfilled', 'cancelled'],
  // back to waiting: its transit cancelled
  'in-transit': ['on-holds-shelf', 'waiting', 'targeted', 'cancelled'],
  // back to waiting: its item lent to another patron by an override; in transit: its item, taken
  // from the shelf, scanned at another library goes back to the pickup library for the same patron
  'on-holds-shelf': ['fulfilled', 'cancelled', 'waiting', 'targeted', 'in-transit'],
  fulfilled: [],
  cancelled: [],
};

const expired = (h: HoldRow, now: Date) => h.shelfExpiresAt !== null && new Date(h.shelfExpiresAt).getTime() <= now.getTime();

/** Whether this step may cancel a hold that was `before`. */
function mayCancel(m: Model, a: Action, before: HoldRow, after: HoldRow): boolean {
  if (a.op === 'cancel') return a.hold === before.id;
  // clearing the shelf: only expired holds there, as not picked up
  const clears = a.op === 'jump' || (a.op === 'clear-shelf' && a.at === before.pickup);
  return clears && before.status === 'on-holds-shelf' && expired(before, m.now) && after.cancelReason === 'not-picked-up';
}

export function checkHolds(m: Model, a: Action, answer: Answer, now: Snapshot): string[] {
  const problems: string[] = [];
  const before = new Map(m.seen.holds.map((h) => [h.id, h]));
  const today = localDate(m.now);
  for (const h of now.holds) {
    const model = m.holds.get(h.id);
    const was = before.get(h.id);
    const say = (text: string) => problems.push(`hold ${h.id} (${was?.status ?? 'new'} → ${h.status}): ${text}`);
    if (!model) {
      say('the model never placed it');
      continue;
    }
    if (!was) {
      if (h.status !== 'waiting' && h.status !== 'targeted') say('a new hold is waiting or targeted');
    } else if (was.status !== h.status) {
      if (!moves[was.status].includes(h.status)) say('not a move DESIGN allows');
      if (h.status === 'cancelled' && !mayCancel(m, a, was, h)) say(`cancelled by ${a.op}, which may not cancel it`);
      if (h.status === 'fulfilled' && !(a.op === 'checkout' && answer.body?.fulfilledHoldId === h.id)) say(`fulfilled by ${a.op}, not by its checkout`);
    }
    if (model.fate !== null && h.status !== model.fate) say(`the model has it ${model.fate}`);
    if (h.status === 'suspended') {
      if (model.suspendedUntil === null) say('suspended, but never asked to be');
      else if (h.suspendedUntil !== model.suspendedUntil) say(`suspended until ${h.suspendedUntil}, asked until ${model.suspendedUntil}`);
      // the sweep, run on every jump, resumes a hold whose date has come
      else if (a.op === 'jump' && model.suspendedUntil <= today) say(`still suspended on ${today}`);
    } else if (model.suspendedUntil !== null && was?.status === 'suspended') {
      model.suspendedUntil = null;
    }
    if (h.status === 'targeted' && h.target !== null && model.refused.has(m.items.get(h.target)!.owner)) {
      say(`targets ${h.target} of ${m.items.get(h.target)!.owner}, which refused it`);
    }
    if (h.status === 'on-holds-shelf' && h.shelvedAt !== null && h.shelfExpiresAt !== null) {
      const expiry = new Date(h.shelfExpiresAt);
      const expected = expectedShelfExpiry(new Date(h.shelvedAt), shelfDays, m.closures[h.pickup] ?? []);
      if (localDate(expiry) !== expected.date || localTime(expiry) !== expected.time) {
        say(`shelf expiry ${localDate(expiry)} ${localTime(expiry)}, expected ${expected.date} ${expected.time}`);
      }
      const cleared = a.op === 'jump' || (a.op === 'clear-shelf' && a.at === h.pickup && answer.status === 200);
      if (cleared && expired(h, m.now)) say(`still on the shelf past its expiry ${h.shelfExpiresAt}`);
    }
  }
  for (const id of before.keys()) if (!now.holds.some((h) => h.id === id)) problems.push(`hold ${id} is gone`);
  return problems;
}
