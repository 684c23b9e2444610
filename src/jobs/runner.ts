import { hostname } from 'node:os';
import { sql } from 'kysely';
import { findJob, jobs, type JobContext, type JobDefinition } from './registry';

const workerName = `${hostname()}:${process.pid}`;

export interface JobRun {
  id: string;
  name: string;
  state: 'done' | 'failed';
  startedAt: Date;
  finishedAt: Date;
  summary: Record<string, unknown> | null;
  error: string | null;
}

async function execute(ctx: JobContext, job: JobDefinition, id: string): Promise<JobRun> {
  const startedAt = new Date();
  try {
    const summary = await job.run(ctx);
    const finishedAt = new Date();
    await ctx.db
      .updateTable('jobs')
      .set({ state: 'done', finished_at: finishedAt, summary: JSON.stringify(summary) })
      .where('id', '=', id)
      .execute();
    return { id, name: job.name, state: 'done', startedAt, finishedAt, summary, error: null };
  } catch (err) {
    const finishedAt = new Date();
    const error = err instanceof Error ? err.message : String(err);
    await ctx.db.updateTable('jobs').set({ state: 'failed', finished_at: finishedAt, error }).where('id', '=', id).execute();
    return { id, name: job.name, state: 'failed', startedAt, finishedAt, summary: null, error };
  }
}

/** Runs one job now, in this process, and records the run (POST /admin/jobs/:name/run). */
export async function runJobNow(ctx: JobContext, name: string): Promise<JobRun | undefined> {
  const job = findJob(name);
  if (!job) return undefined;
  const row = await ctx.db
    .insertInto('jobs')
    .values({ name, state: 'running', run_after: new Date(), attempts: 1, claimed_by: workerName, started_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return execute(ctx, job, row.id);
}

/**
 * Claims one due job with FOR UPDATE SKIP LOCKED, so that two processes never run the same
 * row, runs it, and queues its next run. Returns the run, or undefined when nothing was due.
 */
export async function runNextDueJob(ctx: JobContext): Promise<JobRun | undefined> {
  await queueMissingJobs(ctx);
  const claimed = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('jobs')
      .select(['id', 'name'])
      .where('state', '=', 'pending')
      .where('run_after', '<=', new Date())
      .orderBy('run_after')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!row) return undefined;
    await trx
      .updateTable('jobs')
      .set((eb) => ({ state: 'running', claimed_by: workerName, started_at: new Date(), attempts: eb('attempts', '+', 1) }))
      .where('id', '=', row.id)
      .execute();
    return row;
  });
  if (!claimed) return undefined;
  const job = findJob(claimed.name);
  if (!job) {
    await ctx.db.updateTable('jobs').set({ state: 'failed', error: 'no such job in this version', finished_at: new Date() }).where('id', '=', claimed.id).execute();
    return undefined;
  }
  const run = await execute(ctx, job, claimed.id);
  await queueNext(ctx, job);
  return run;
}

async function queueNext(ctx: JobContext, job: JobDefinition): Promise<void> {
  await ctx.db
    .insertInto('jobs')
    .values({ name: job.name, run_after: new Date(Date.now() + job.everyMinutes * 60_000) })
    .onConflict((oc) => oc.column('name').where(sql<boolean>`state = 'pending'`).doNothing())
    .execute();
}

async function queueMissingJobs(ctx: JobContext): Promise<void> {
  for (const job of jobs) {
    await ctx.db
      .insertInto('jobs')
      .values({ name: job.name, run_after: new Date() })
      .onConflict((oc) => oc.column('name').where(sql<boolean>`state = 'pending'`).doNothing())
      .execute();
  }
}

export interface Scheduler {
  /**
   * Runs a job now in this process, beside the loop, without claiming its row: only for jobs
   * that are safe to run in several processes at once (the notices job claims each notice).
   * Wake-ups that arrive while it waits to start run it once.
   */
  wake(name: string): void;
  stop(): Promise<void>;
}

/** The scheduler loop of `tamarack serve`: every job on its interval, claimed so one process runs it. */
export function startScheduler(ctx: JobContext, pollMs = 15_000): Scheduler {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  // wake-ups have their own line, so a new notice does not wait behind a long targeting sweep
  let waking: Promise<void> = Promise.resolve();
  const woken = new Set<string>();
  const tick = async (): Promise<void> => {
    while (!stopped && (await runNextDueJob(ctx))) {
      // keep going while jobs are due
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick).catch(() => undefined);
  }, pollMs);
  running = tick().catch(() => undefined);
  return {
    wake(name) {
      const job = findJob(name);
      if (!job || stopped || woken.has(name)) return;
      woken.add(name);
      waking = waking
        .then(async () => {
          // cleared before the run: a wake-up during it may concern work the run has passed
          woken.delete(name);
          if (!stopped) await job.run(ctx);
        })
        .catch(() => undefined);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all([running, waking]);
    },
  };
}
