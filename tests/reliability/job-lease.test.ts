import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connection';
import { jobLeaseMs, reclaimOrphanedJobs, runNextDueJob } from '../../src/jobs/runner';
import { systemClock } from '../../src/services/clock';
import { openTestDatabase } from '../support/database';

// A job row left 'running' by a process that died (kill -9) is ended as failed and the job runs
// again; a run whose process lives is left alone, and no other process runs that job meanwhile.

let connection: Connection;
beforeAll(async () => {
  connection = await openTestDatabase();
});
afterAll(async () => {
  await connection?.close();
});

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

async function running(name: string, claimedBy: string, startedAt: Date): Promise<string> {
  const row = await connection.db
    .insertInto('jobs')
    .values({ name, state: 'running', run_after: startedAt, attempts: 1, claimed_by: claimedBy, started_at: startedAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function stateOf(id: string): Promise<string> {
  return (await connection.db.selectFrom('jobs').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
}

describe('jobs left running by a process that died', () => {
  it('tells dead runs from live ones', async () => {
    const here = hostname();
    const liveSession = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(connection.db)).rows[0].pid;
    const processStartedAt = Date.now() - process.uptime() * 1000;
    const dead = {
      pidGone: await running('probe-dead-pid', `${here}:${await deadPid()}`, minutesAgo(1)),
      sessionGone: await running('probe-dead-session', `elsewhere:4242 session 987654`, minutesAgo(1)),
      leaseOver: await running('probe-old', 'elsewhere:4242', new Date(Date.now() - jobLeaseMs - 60_000)),
      earlierLife: await running('probe-earlier-life', `${here}:${process.pid}`, new Date(processStartedAt - 60_000)),
    };
    const live = {
      pidAlive: await running('probe-live-pid', `${here}:${process.ppid}`, minutesAgo(1)),
      sessionAlive: await running('probe-live-session', `elsewhere:4242 session ${liveSession}`, minutesAgo(1)),
      otherHostWithinLease: await running('probe-elsewhere', 'elsewhere:4242', minutesAgo(30)),
    };
    expect(await reclaimOrphanedJobs(connection)).toBe(4);
    for (const id of Object.values(dead)) expect(await stateOf(id)).toBe('failed');
    for (const id of Object.values(live)) expect(await stateOf(id)).toBe('running');
    const row = await connection.db.selectFrom('jobs').select(['error', 'finished_at']).where('id', '=', dead.pidGone).executeTakeFirstOrThrow();
    expect(row.error).toMatch(/ended before it finished/);
    expect(row.finished_at).not.toBeNull();
    // a second look changes nothing
    expect(await reclaimOrphanedJobs(connection)).toBe(0);
  });

  it('runs a dead run\'s job again, and leaves a live run\'s job to its process', async () => {
    const here = hostname();
    const orphan = await running('shelf-expiry', `${here}:${await deadPid()}`, minutesAgo(2));
    const alive = await running('targeting', `${here}:${process.ppid}`, minutesAgo(2));
    const ran: string[] = [];
    for (let run = await runNextDueJob({ db: connection.db, clock: systemClock }); run; run = await runNextDueJob({ db: connection.db, clock: systemClock })) {
      expect(run.state).toBe('done');
      ran.push(run.name);
    }
    expect(await stateOf(orphan)).toBe('failed');
    expect(ran).toContain('shelf-expiry');
    // one process runs a job at a time: nothing queued or ran beside the live run
    expect(ran).not.toContain('targeting');
    expect(await stateOf(alive)).toBe('running');
    const targeting = await connection.db.selectFrom('jobs').select(['id', 'state']).where('name', '=', 'targeting').execute();
    expect(targeting).toEqual([{ id: alive, state: 'running' }]);
    // every other job ran and is queued for its next run
    const pending = await connection.db.selectFrom('jobs').select('name').where('state', '=', 'pending').orderBy('name').execute();
    expect(pending.map((r) => r.name)).toEqual(['due-notices', 'notices', 'session-cleanup', 'shelf-expiry']);
  });
});
