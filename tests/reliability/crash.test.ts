import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenInvariants } from '../support/circulation-invariants';
import { describeLoad, runDeskLoad, seedLoadConsortium } from '../support/desk-load';
import { deliveries, lostActions, outboxDrained, stuckJobs } from '../support/load-checks';
import { createLoadDatabase, type LoadDatabase } from '../support/load-database';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';
import { testDatabaseKind } from '../support/test-database-kind';
import { crashKills, jobPollMs, loadClients, loadConsortiumSize, loadSeconds, loadTimeoutMs } from '../support/load-sizes';

// The desk load of two-servers.test.ts while a server is killed (kill -9: no shutdown at all) at
// random moments and started again. Whatever a server answered 2xx is in the database, the
// invariants hold, the outbox drains — a message may go out again only if its process died
// between the SMTP server's acceptance and marking it sent, and then under the same Message-ID —
// and the scheduler goes on: no job stays 'running' for a dead process, and a due job runs.

const onPostgres = testDatabaseKind() === 'postgres';
if (!onPostgres) console.warn("Skipping 'server processes killed under desk load': it runs in the PostgreSQL pass (TAMARACK_TEST_DB=postgres).");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await sleep(200);
  }
}

describe.skipIf(!onPostgres)('server processes killed under desk load', () => {
  let database: LoadDatabase;
  let peer: SmtpPeer;
  let env: Record<string, string>;
  /** Each slot's server, or null while it is down. */
  const slots: (ServerProcess | null)[] = [null, null];
  const everyServer: ServerProcess[] = [];

  async function serve(slot: number): Promise<void> {
    const server = await startServerProcess(env);
    everyServer.push(server);
    slots[slot] = server;
  }

  beforeAll(async () => {
    database = await createLoadDatabase('crash');
    peer = await startSmtpPeer();
    env = { DATABASE_URL: database.url, SMTP_URL: peer.url, TAMARACK_JOB_POLL_MS: jobPollMs };
    await serve(0);
    await serve(1);
  });

  afterAll(async () => {
    for (const server of everyServer) await server.stop();
    await peer?.close();
    await database?.drop();
  });

  it(`${loadClients} desks for ${loadSeconds} s, a server killed ${crashKills} times: nothing answered is lost, the outbox drains, jobs go on`, async () => {
    const consortium = await seedLoadConsortium(slots[0]!.url, loadConsortiumSize);
    const killedPids: number[] = [];
    const slotMs = (loadSeconds * 1000) / crashKills;
    const killing = (async () => {
      for (let k = 0; k < crashKills; k++) {
        const slotEnds = Date.now() + slotMs;
        await sleep(slotMs * (0.1 + 0.6 * Math.random()));
        const slot = Math.random() < 0.5 ? 0 : 1;
        const victim = slots[slot]!;
        // out of the clients' choice first; requests already on their way are cut off
        slots[slot] = null;
        await victim.kill();
        killedPids.push(victim.child.pid!);
        await serve(slot);
        await sleep(Math.max(0, slotEnds - Date.now()));
      }
    })();
    const started = Date.now();
    const record = await runDeskLoad({
      servers: () => slots.filter((s): s is ServerProcess => s !== null).map((s) => s.url),
      clients: loadClients,
      seconds: loadSeconds,
      until: killing,
      consortium,
    });
    await killing;
    console.log(`crash: ${describeLoad(record, (Date.now() - started) / 1000)}; ${killedPids.length} kills`);

    expect(killedPids).toHaveLength(crashKills);
    for (const pid of killedPids) expect(everyServer.find((s) => s.child.pid === pid)!.child.signalCode).toBe('SIGKILL');
    expect(record.serverErrors).toEqual([]);
    expect(record.holdIds.length).toBeGreaterThan(0);
    expect(record.loans.length).toBeGreaterThan(0);

    const db = database.connection.db;
    expect(await lostActions(db, record)).toEqual([]);
    expect(await brokenInvariants(db)).toEqual({});

    await outboxDrained(db, 60_000);
    const sent = await deliveries(db, peer);
    console.log(`crash: ${sent.sent} notices sent, ${peer.accepted.length} messages accepted (${sent.withdrawnAfterSending} of notices withdrawn while being sent), sent again after a kill: ${JSON.stringify(sent.duplicates)}`);
    expect(sent.sent).toBeGreaterThan(0);
    expect(sent.neverArrived).toEqual([]);
    expect(sent.strangers).toEqual([]);
    // a process has at most one message in flight (jobs/notices.ts): a kill costs at most that one again
    expect(sent.duplicates.reduce((extra, [, n]) => extra + n - 1, 0)).toBeLessThanOrEqual(crashKills);

    const live = slots.map((s) => s!.child.pid!);
    expect(await waitFor('jobs left running by killed processes', () => stuckJobs(db, live), (stuck) => stuck.length === 0)).toEqual([]);
    const reclaimed = await db.selectFrom('jobs').select(['name', 'claimed_by']).where('error', 'like', '%ended before it finished').execute();
    console.log(`crash: job runs cut off by a kill and ended by the scheduler: ${JSON.stringify(reclaimed)}`);
    // the scheduler goes on: a job made due now runs within a few polls
    const due = new Date();
    // (while a run of it is on, it has no queued run to move)
    await waitFor(
      'a queued shelf-expiry run',
      async () => Number((await db.updateTable('jobs').set({ run_after: due }).where('name', '=', 'shelf-expiry').where('state', '=', 'pending').executeTakeFirst()).numUpdatedRows),
      (moved) => moved === 1,
    );
    const ran = await waitFor(
      'a due job after the restarts',
      () => db.selectFrom('jobs').select(['state', 'claimed_by']).where('name', '=', 'shelf-expiry').where('started_at', '>=', due).execute(),
      (rows) => rows.some((r) => r.state === 'done'),
    );
    expect(ran.some((r) => live.some((pid) => r.claimed_by?.includes(`:${pid}`)))).toBe(true);
  }, loadTimeoutMs);
});
