import { hostname } from 'node:os';
import { sql } from 'kysely';
import { findJob, jobs, type JobContext, type JobDefinition } from './registry';

// A row stays 'running' when the process running it dies (kill -9, a power cut). Such a row is
// an orphan, and no process would ever finish it nor queue the job again; so before claiming,
// the scheduler ends orphans as failed and the job is queued at once. `claimed_by` says who runs
// a job: `host:pid`, and ` session N` when the process has a long-lived PostgreSQL session (its
// LISTEN connection), whose end PostgreSQL sees at once, whichever host the process was on.
const thisHost = hostname();
const workerName = `${thisHost}:${process.pid}`;
/** A run older than this is taken for dead even when nothing else tells: longer than any job takes. */
export const jobLeaseMs = 60 * 60_000;
/** Rows this process is running now: never orphans. */
const runningHere = new Set<string>();
/** A run of this host and pid that started before this process did is an earlier life's (a container restarted). */
const processStartedAt = Date.now() - process.uptime() * 1000;

function claimant(ctx: JobContext): string {
  const session = ctx.delivery?.liveSession?.() ?? null;
  return session === null ? workerName : `${workerName} session ${session}`;
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: alive, but another user's
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether a 'running' row's process is known to have ended. */
function orphaned(row: { id: string; claimed_by: string | null; started_at: Date | null }, liveSessions: Set<number>, now: Date): boolean {
  if (runningHere.has(row.id)) return false;
  const startedAt = row.started_at ? new Date(row.started_at).getTime() : 0;
  if (now.getTime() - startedAt > jobLeaseMs) return true;
  const claim = /^(.*):(\d+)(?: session (\d+))?$/.exec(row.claimed_by ?? '');
  if (!claim) return false;
  const [, host, pid, session] = claim;
  if (session !== undefined && !liveSessions.has(Number(session))) return true;
  if (host !== thisHost) return false;
  return Number(pid) === process.pid ? startedAt < processStartedAt : processGone(Number(pid));
}

/** Ends the runs whose process died, so that their jobs run again. Answers how many. */
export async function reclaimOrphanedJobs(ctx: Pick<JobContext, 'db'>, now = new Date()): Promise<number> {
  const rows = await ctx.db.selectFrom('jobs').select(['id', 'claimed_by', 'started_at']).where('state', '=', 'running').execute();
  if (rows.length === 0) return 0;
  const liveSessions = rows.some((r) => r.claimed_by?.includes(' session '))
    ? new Set((await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity`.execute(ctx.db)).rows.map((r) => Number(r.pid)))
    : new Set<number>();
  let reclaimed = 0;
  for (const row of rows.filter((r) => orphaned(r, liveSessions, now))) {
    const changed = await ctx.db
      .updateTable('jobs')
      .set({ state: 'failed', finished_at: now, error: `the process running it (${row.claimed_by ?? 'unknown'}) ended before it finished` })
      .where('id', '=', row.id)
      .where('state', '=', 'running')
      .executeTakeFirst();
    reclaimed += Number(changed.numUpdatedRows);
  }
  return reclaimed;
}

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
  runningHere.add(id);
  try {
    return await executeHere(ctx, job, id);
  } finally {
    runningHere.delete(id);
  }
}

async function executeHere(ctx: JobContext, job: JobDefinition, id: string): Promise<JobRun> {
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
    .values({ name, state: 'running', run_after: new Date(), attempts: 1, claimed_by: claimant(ctx), started_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return execute(ctx, job, row.id);
}

/**
 * Claims one due job with FOR UPDATE SKIP LOCKED, so that two processes never run the same
 * row, runs it, and queues its next run. Returns the run, or undefined when nothing was due.
 */
export async function runNextDueJob(ctx: JobContext): Promise<JobRun | undefined> {
  await reclaimOrphanedJobs(ctx);
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
      .set((eb) => ({ state: 'running', claimed_by: claimant(ctx), started_at: new Date(), attempts: eb('attempts', '+', 1) }))
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

/**
 * Queues, due now, each job that is neither queued nor running: a job another process is running
 * is queued by that process when it ends (queueNext), so it keeps its interval.
 */
async function queueMissingJobs(ctx: JobContext): Promise<void> {
  for (const job of jobs) {
    await sql`
      INSERT INTO jobs (name, run_after)
      SELECT ${job.name}, ${new Date()}
      WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE name = ${job.name} AND state IN ('pending', 'running'))
      ON CONFLICT (name) WHERE state = 'pending' DO NOTHING`.execute(ctx.db);
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
