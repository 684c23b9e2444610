// Items staff should look at (DESIGN §4 "Cancelling, holds shelf, problems"): a copy that keeps
// travelling between libraries without ever reaching a reader ('bouncing' — usually a hold that
// no library can fill, or a routing mistake), and a transit that never arrived
// ('transit-overdue' — the van lost it, or the receiving library forgot to scan it).
// One rule for the item screen and the problem list, so both always say the same thing.

export type ItemFlag = 'bouncing' | 'transit-overdue';

export interface BounceSettings {
  /** Transits within `bounceDays` that make an item bouncing (consortium setting, 4). */
  bounceTransits: number;
  /** The window those transits fall in (consortium setting, 10 days). */
  bounceDays: number;
}

/** An item's travels as the rule needs them: plain times, loaded by the caller. */
export interface ItemTravels {
  /** When each transit of the item was sent; older ones than the window may be left out. */
  transitsSentAt: readonly Date[];
  /** When each loan of the item was checked out; older ones than the window may be left out. */
  loansCheckedOutAt: readonly Date[];
  /** When its open transit was sent, or null when it is not travelling now. */
  openTransitSentAt: Date | null;
}

/** The van reaches every member within a few days; a transit open longer than this is lost or unscanned. */
export const transitOverdueDays = 5;

const dayMs = 86_400_000;

/** The first moment of the bounce window ending at `now`; callers load travels from here on. */
export function bounceWindowStart(settings: BounceSettings, now: Date): Date {
  return new Date(now.getTime() - settings.bounceDays * dayMs);
}

/** The transits the bounce rule counts: those sent within the last `bounceDays` days. */
export function recentTransits(travels: Pick<ItemTravels, 'transitsSentAt'>, settings: BounceSettings, now: Date): Date[] {
  const from = bounceWindowStart(settings, now).getTime();
  return travels.transitsSentAt.filter((at) => at.getTime() >= from && at.getTime() <= now.getTime());
}

/**
 * Bouncing: at least `bounceTransits` transits in the window and no loan checked out since the
 * first of them. A loan in between means the trips served a reader, so they are no problem.
 */
export function isBouncing(travels: ItemTravels, settings: BounceSettings, now: Date): boolean {
  const recent = recentTransits(travels, settings, now);
  if (recent.length < settings.bounceTransits) return false;
  const first = Math.min(...recent.map((at) => at.getTime()));
  return !travels.loansCheckedOutAt.some((at) => at.getTime() >= first);
}

/** A transit still open more than `transitOverdueDays` days after it was sent. */
export function isTransitOverdue(travels: Pick<ItemTravels, 'openTransitSentAt'>, now: Date): boolean {
  const sent = travels.openTransitSentAt;
  return sent !== null && now.getTime() - sent.getTime() > transitOverdueDays * dayMs;
}

/** Every flag that applies, in a fixed order; empty when the item is fine. */
export function itemFlags(travels: ItemTravels, settings: BounceSettings, now: Date): ItemFlag[] {
  const flags: ItemFlag[] = [];
  if (isBouncing(travels, settings, now)) flags.push('bouncing');
  if (isTransitOverdue(travels, now)) flags.push('transit-overdue');
  return flags;
}
