import { anonymous } from '../domain/actor';
import { retargetDueAt } from '../domain/targeting/retarget-due';
import { loadLibraryFacts, type LibraryFacts } from '../services/holds/library-facts';
import { sweepBatch, type DueHold } from '../services/holds/sweep-batch';
import { prepareTargetingRuns } from '../services/holds/targeting-run';
import type { JobContext, JobDefinition } from './registry';

// The periodic targeting sweep (DESIGN §4 "When"): resumes suspended holds whose date has come,
// retargets targets not captured in time, and retries waiting holds whose title has a copy on a
// shelf (age protection may have ended). Three reads find the due holds; they are then worked
// through in batches of records, each batch one short transaction (see sweep-batch), so that a
// sweep never holds locks for long and another process's sweep skips what this one works on.

const hourMs = 3_600_000;
/** Holds per batch: large enough that round trips do not dominate, small enough for short locks. */
const batchHolds = 1_000;

export async function runTargetingSweep(ctx: JobContext): Promise<Record<string, number>> {
  const now = ctx.clock.now();
  const libraries = await loadLibraryFacts(ctx.db);
  const settings = await ctx.db.selectFrom('consortium').select('retarget_after_hours').executeTakeFirstOrThrow();
  const hours = settings.retarget_after_hours;
  const summary = { resumed: 0, timedOut: 0, retargeted: 0, waitingTried: 0, newlyTargeted: 0 };
  const sweepCtx = { clock: ctx.clock, random: ctx.random, actor: anonymous };
  // policy and lending counts are read once per sweep, not once per batch
  const runFor = await ctx.db.transaction().execute((trx) => prepareTargetingRuns(trx, sweepCtx, libraries));

  const byRecord = new Map<number, DueHold[]>();
  for (const hold of await dueHolds(ctx, libraries, hours, now)) {
    const list = byRecord.get(hold.recordId);
    if (list) list.push(hold);
    else byRecord.set(hold.recordId, [hold]);
  }

  const batches: DueHold[][] = [[]];
  for (const holds of byRecord.values()) {
    const last = batches[batches.length - 1];
    if (last.length >= batchHolds) batches.push([...holds]);
    else last.push(...holds);
  }
  // Two batches at a time: while one decides in memory the other writes, so the process and the
  // database work together. Batches never share a record, so they never wait for each other.
  const work = async (): Promise<void> => {
    for (let due = batches.pop(); due; due = batches.pop()) {
      if (due.length === 0) continue;
      const batch = due;
      const counts = await ctx.db.transaction().execute((trx) => sweepBatch(runFor(trx), batch, hours));
      for (const key of Object.keys(summary) as (keyof typeof summary)[]) summary[key] += counts[key];
    }
  };
  await Promise.all([work(), work()]);
  return summary;
}

async function dueHolds(ctx: JobContext, libraries: LibraryFacts, hours: number, now: Date): Promise<DueHold[]> {
  const suspended = await ctx.db
    .selectFrom('holds')
    .select(['id', 'record_id', 'pickup_library_id', 'suspended_until'])
    .where('status', '=', 'suspended')
    .where('suspended_until', 'is not', null)
    .execute();
  const targeted = await ctx.db
    .selectFrom('holds')
    .innerJoin('items', 'items.id', 'holds.target_item_id')
    .select(['holds.id', 'holds.record_id', 'holds.targeted_at', 'holds.target_item_id', 'items.owning_library_id'])
    .where('holds.status', '=', 'targeted')
    .where('holds.targeted_at', '<=', new Date(now.getTime() - hours * hourMs))
    .execute();
  const waiting = await ctx.db
    .selectFrom('holds')
    .select(['holds.id', 'holds.record_id'])
    .where('holds.status', '=', 'waiting')
    .where(({ exists, selectFrom }) => exists(selectFrom('items').select('items.id').whereRef('items.record_id', '=', 'holds.record_id').where('items.status', '=', 'available')))
    .execute();
  return [
    ...suspended
      .filter((h) => h.suspended_until! <= libraries.todayAt(h.pickup_library_id, now))
      .map((h): DueHold => ({ id: h.id, recordId: h.record_id, reason: 'resume', targetItemId: null, timeoutLibraryId: null })),
    ...targeted
      .filter((h) => isDue(h.targeted_at!, hours, h.owning_library_id, libraries, now))
      .map((h): DueHold => ({ id: h.id, recordId: h.record_id, reason: 'timeout', targetItemId: h.target_item_id, timeoutLibraryId: h.owning_library_id })),
    ...waiting.map((h): DueHold => ({ id: h.id, recordId: h.record_id, reason: 'waiting', targetItemId: null, timeoutLibraryId: null })),
  ];
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
