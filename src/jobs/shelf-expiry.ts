import { anonymous } from '../domain/actor';
import { clearExpiredHolds } from '../services/circulation/holds-shelf';
import type { Canceller } from '../services/holds/hold-cancelled-messages';
import type { JobContext, JobDefinition } from './registry';

// Job `shelf-expiry`: clears every library's holds shelf of holds past their shelf expiry, as the
// desk's clear-shelf does (reason not-picked-up, a notice to each patron). One transaction per
// library keeps locks short; rows locked by another process are skipped and cleared next run.

// no desk acted: every library involved, the pickup library too, hears of it and what to do
const byTheJob: Canceller = { deskLibraryId: null, actsForLibraryId: null, who: 'the automatic shelf clearing' };

export async function runShelfExpiry(ctx: JobContext): Promise<{ cleared: number }> {
  const now = ctx.clock.now();
  const libraries = await ctx.db
    .selectFrom('holds')
    .select('pickup_library_id')
    .distinct()
    .where('status', '=', 'on-holds-shelf')
    .where('shelf_expires_at', '<=', now)
    .execute();
  let cleared = 0;
  for (const { pickup_library_id } of libraries) {
    cleared += await ctx.db.transaction().execute(async (trx) => (await clearExpiredHolds(trx, pickup_library_id, now, anonymous, byTheJob)).length);
  }
  return { cleared };
}

export const shelfExpiryJob: JobDefinition = {
  name: 'shelf-expiry',
  // expiry falls at closing time; an hour later is soon enough for the next morning's clear-shelf
  everyMinutes: 60,
  run: runShelfExpiry,
};
