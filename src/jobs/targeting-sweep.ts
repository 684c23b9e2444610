import { anonymous } from '../domain/actor';
import { retargetDueAt } from '../domain/targeting/retarget-due';
import { recordEvent } from '../db/events';
import { loadLibraryFacts, type LibraryFacts } from '../services/holds/library-facts';
import { targetHoldsWaitingForItem } from '../services/holds/item-availability';
import { targetHold } from '../services/holds/target-hold';
import { prepareTargetingRuns } from '../services/holds/targeting-run';
import type { JobContext, JobDefinition } from './registry';

// The periodic targeting sweep (DESIGN §4 "When"): resumes suspended holds whose date has come,
// retargets targets not captured in time, and retries waiting holds whose title has a copy on a
// shelf (age protection may have ended). Each hold is its own transaction, so a sweep never
// holds locks for long and another process's sweep skips what this one works on.

const hourMs = 3_600_000;

export async function runTargetingSweep(ctx: JobContext): Promise<Record<string, number>> {
  const now = ctx.clock.now();
  const libraries = await loadLibraryFacts(ctx.db);
  const settings = await ctx.db.selectFrom('consortium').select('retarget_after_hours').executeTakeFirstOrThrow();
  const summary = { resumed: 0, timedOut: 0, retargeted: 0, waitingTried: 0, newlyTargeted: 0 };
  const sweepCtx = { clock: ctx.clock, random: ctx.random, actor: anonymous };
  // policy and lending counts are read once per sweep, not once per hold
  const runFor = await ctx.db.transaction().execute((trx) => prepareTargetingRuns(trx, sweepCtx, libraries));

  const suspended = await ctx.db.selectFrom('holds').select(['id', 'pickup_library_id', 'suspended_until']).where('status', '=', 'suspended').execute();
  for (const hold of suspended) {
    if (hold.suspended_until === null || hold.suspended_until > libraries.todayAt(hold.pickup_library_id, now)) continue;
    await ctx.db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('holds').select(['status', 'patron_id', 'record_id']).where('id', '=', hold.id).forUpdate().skipLocked().executeTakeFirst();
      if (!locked || locked.status !== 'suspended') return;
      await trx.updateTable('holds').set({ status: 'waiting', suspended_until: null }).where('id', '=', hold.id).execute();
      await recordEvent(trx, { at: now, kind: 'hold-resumed', hold_id: hold.id, patron_id: locked.patron_id, record_id: locked.record_id, reason: 'suspension ended', data: {} });
      await targetHold(runFor(trx), hold.id, 'resumed');
      summary.resumed++;
    });
  }

  const targeted = await ctx.db
    .selectFrom('holds')
    .innerJoin('items', 'items.id', 'holds.target_item_id')
    .select(['holds.id', 'holds.targeted_at', 'holds.target_item_id', 'items.owning_library_id'])
    .where('holds.status', '=', 'targeted')
    .where('holds.targeted_at', '<=', new Date(now.getTime() - settings.retarget_after_hours * hourMs))
    .execute();
  for (const hold of targeted) {
    if (!isDue(hold.targeted_at!, settings.retarget_after_hours, hold.owning_library_id, libraries, now)) continue;
    await ctx.db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('holds').select(['status', 'target_item_id', 'patron_id', 'record_id']).where('id', '=', hold.id).forUpdate().skipLocked().executeTakeFirst();
      if (!locked || locked.status !== 'targeted' || locked.target_item_id !== hold.target_item_id) return;
      await trx
        .insertInto('hold_exclusions')
        .values({ hold_id: hold.id, library_id: hold.owning_library_id, reason: 'timeout', at: now })
        .onConflict((oc) => oc.columns(['hold_id', 'library_id', 'reason']).doUpdateSet({ at: now }))
        .execute();
      await recordEvent(trx, {
        at: now,
        kind: 'hold-target-timeout',
        hold_id: hold.id,
        item_id: hold.target_item_id,
        patron_id: locked.patron_id,
        record_id: locked.record_id,
        library_id: hold.owning_library_id,
        reason: `not captured within ${settings.retarget_after_hours} opening hours`,
        data: { timeout: true, refusal: false },
      });
      const run = runFor(trx);
      const outcome = await targetHold(run, hold.id, 'sweep-timeout');
      summary.timedOut++;
      if (outcome.targetItemId !== hold.target_item_id) {
        summary.retargeted++;
        await targetHoldsWaitingForItem(run, hold.target_item_id!);
      }
    });
  }

  const waiting = await ctx.db
    .selectFrom('holds')
    .select('holds.id')
    .where('holds.status', '=', 'waiting')
    .where(({ exists, selectFrom }) => exists(selectFrom('items').select('items.id').whereRef('items.record_id', '=', 'holds.record_id').where('items.status', '=', 'available')))
    .orderBy('holds.requested_at')
    .orderBy('holds.id')
    .execute();
  for (const { id } of waiting) {
    await ctx.db.transaction().execute(async (trx) => {
      const outcome = await targetHold(runFor(trx), id, 'sweep');
      summary.waitingTried++;
      if (outcome.status === 'targeted') summary.newlyTargeted++;
    });
  }
  return summary;
}

function isDue(targetedAt: Date, hours: number, libraryId: number, libraries: LibraryFacts, now: Date): boolean {
  const due = retargetDueAt(targetedAt, hours, libraries.calendar(libraryId), (at) => libraries.todayAt(libraryId, at));
  return due.getTime() <= now.getTime();
}

export const targetingJob: JobDefinition = {
  name: 'targeting',
  everyMinutes: 15,
  run: runTargetingSweep,
};

