import { bounceWindowStart, itemFlags, recentTransits, transitOverdueDays, type BounceSettings, type ItemFlag, type ItemTravels } from '../../domain/circulation/bouncing';
import { ok, type Result } from '../../domain/refusal';
import type { Db, ServiceContext } from '../context';
import type { LibraryRef } from '../library-view';
import { libraryForStaff, page, type Paging } from './library-lists';

// A library's problem list: its own items that keep bouncing between libraries or whose transit
// never arrived. The database narrows the items down; the pure rule (domain/circulation/bouncing)
// decides, the same rule the item screen uses.

export interface ProblemEntry {
  item: { barcode: string; status: string; title: string; callNumber: string; library: LibraryRef };
  flags: ItemFlag[];
  /** Transits within the bounce window (what the bounce rule counts). */
  transits: number;
  lastTransitAt: string;
}

const dayMs = 86_400_000;

export async function bounceSettings(db: Db): Promise<BounceSettings> {
  const c = await db.selectFrom('consortium').select(['bounce_transits', 'bounce_days']).executeTakeFirstOrThrow();
  return { bounceTransits: c.bounce_transits, bounceDays: c.bounce_days };
}

/**
 * The travels of some items from `since` on, plus each one's open transit whatever its age:
 * all the rule needs, in two queries whatever the number of items.
 */
export async function loadItemTravels(db: Db, itemIds: readonly number[], since: Date): Promise<Map<number, ItemTravels>> {
  const travels = new Map<number, { transitsSentAt: Date[]; loansCheckedOutAt: Date[]; openTransitSentAt: Date | null }>(
    itemIds.map((id) => [id, { transitsSentAt: [], loansCheckedOutAt: [], openTransitSentAt: null }]),
  );
  if (itemIds.length === 0) return travels;
  const [transits, loans] = await Promise.all([
    db
      .selectFrom('transits')
      .select(['item_id', 'sent_at', 'received_at', 'cancelled_at'])
      .where('item_id', 'in', [...itemIds])
      .where((eb) => eb.or([eb('sent_at', '>=', since), eb.and([eb('received_at', 'is', null), eb('cancelled_at', 'is', null)])]))
      .execute(),
    db.selectFrom('loans').select(['item_id', 'checked_out_at']).where('item_id', 'in', [...itemIds]).where('checked_out_at', '>=', since).execute(),
  ]);
  for (const t of transits) {
    const entry = travels.get(t.item_id)!;
    if (t.sent_at >= since) entry.transitsSentAt.push(t.sent_at);
    if (t.received_at === null && t.cancelled_at === null) entry.openTransitSentAt = t.sent_at;
  }
  for (const l of loans) travels.get(l.item_id)!.loansCheckedOutAt.push(l.checked_out_at);
  return travels;
}

/** The flags of one item, for the item screen. */
export async function itemFlagsOf(db: Db, itemId: number, now: Date): Promise<ItemFlag[]> {
  const settings = await bounceSettings(db);
  const travels = await loadItemTravels(db, [itemId], bounceWindowStart(settings, now));
  return itemFlags(travels.get(itemId)!, settings, now);
}

export async function problemList(ctx: ServiceContext, code: string, paging: Paging): Promise<Result<ProblemEntry[]>> {
  const library = await libraryForStaff(ctx, code);
  if (!library.ok) return library;
  const now = ctx.clock.now();
  const settings = await bounceSettings(ctx.db);
  const since = bounceWindowStart(settings, now);
  const overdueBefore = new Date(now.getTime() - transitOverdueDays * dayMs);
  // candidates: our items that travelled within the window, or whose open transit is overdue
  const candidates = await ctx.db
    .selectFrom('items as i')
    .innerJoin('records as r', 'r.id', 'i.record_id')
    .innerJoin('volumes as v', 'v.id', 'i.volume_id')
    .innerJoin('libraries as owner', 'owner.id', 'i.owning_library_id')
    .select(['i.id', 'i.barcode', 'i.status', 'r.title', 'v.call_number', 'owner.code', 'owner.name'])
    .select((eb) => eb.selectFrom('transits as last').select((l) => l.fn.max('last.sent_at').as('at')).whereRef('last.item_id', '=', 'i.id').as('last_transit_at'))
    .where('i.owning_library_id', '=', library.value.id)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('transits as t')
          .select('t.id')
          .whereRef('t.item_id', '=', 'i.id')
          .where((w) =>
            w.or([
              w('t.sent_at', '>=', since),
              w.and([w('t.received_at', 'is', null), w('t.cancelled_at', 'is', null), w('t.sent_at', '<', overdueBefore)]),
            ]),
          ),
      ),
    )
    .execute();
  const travels = await loadItemTravels(ctx.db, candidates.map((c) => c.id), since);
  const flagged = candidates
    .map((c) => {
      const t = travels.get(c.id)!;
      return {
        item: { barcode: c.barcode, status: c.status, title: c.title, callNumber: c.call_number, library: { code: c.code, name: c.name } },
        flags: itemFlags(t, settings, now),
        transits: recentTransits(t, settings, now).length,
        lastTransitAt: new Date(c.last_transit_at!).toISOString(),
      };
    })
    .filter((p) => p.flags.length > 0)
    // the most recent trouble first: that is the trail still warm
    .sort((a, b) => b.lastTransitAt.localeCompare(a.lastTransitAt) || a.item.barcode.localeCompare(b.item.barcode));
  return ok(page(flagged, paging));
}
