import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenInvariants } from '../support/circulation-invariants';
import { describeLoad, runDeskLoad, seedLoadConsortium } from '../support/desk-load';
import { deliveries, lostActions, outboxDrained } from '../support/load-checks';
import { createLoadDatabase, type LoadDatabase } from '../support/load-database';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';
import { testDatabaseKind } from '../support/test-database-kind';
import { jobPollMs, loadClients, loadConsortiumSize, loadSeconds, loadTimeoutMs } from '../support/load-sizes';

// DESIGN §2 "Scaling out": two `tamarack serve` processes on one PostgreSQL, desks at every
// library placing holds, scanning and lending the same few items through both at once. No desk
// sees an error (lost races are retried inside the service), the invariants hold, every answered
// action is in the database and nothing unanswered is, and every notice goes out exactly once.

const onPostgres = testDatabaseKind() === 'postgres';
if (!onPostgres) console.warn("Skipping 'two server processes under desk load': it runs in the PostgreSQL pass (TAMARACK_TEST_DB=postgres).");

describe.skipIf(!onPostgres)('two server processes under desk load', () => {
  let database: LoadDatabase;
  let peer: SmtpPeer;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createLoadDatabase('two');
    peer = await startSmtpPeer();
    const env = { DATABASE_URL: database.url, SMTP_URL: peer.url, TAMARACK_JOB_POLL_MS: jobPollMs };
    // one after the other: both apply the (already applied) migrations at start
    servers.push(await startServerProcess(env));
    servers.push(await startServerProcess(env));
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await peer?.close();
    await database?.drop();
  });

  it(`${loadClients} desks for ${loadSeconds} s: no error, invariants hold, nothing lost, each notice sent once`, async () => {
    const consortium = await seedLoadConsortium(servers[0].url, loadConsortiumSize);
    const started = Date.now();
    const record = await runDeskLoad({ servers: () => servers.map((s) => s.url), clients: loadClients, seconds: loadSeconds, consortium });
    console.log(`two servers: ${describeLoad(record, (Date.now() - started) / 1000)}`);

    expect(record.serverErrors).toEqual([]);
    expect(record.cutOff).toBe(0);
    // the desks really worked, and on the same items
    expect(record.holdIds.length).toBeGreaterThan(0);
    expect(record.loans.length).toBeGreaterThan(0);
    expect(record.returns.size).toBeGreaterThan(0);
    expect(record.byStatus['409']).toBeGreaterThan(0);

    const db = database.connection.db;
    expect(await brokenInvariants(db)).toEqual({});
    expect(await lostActions(db, record)).toEqual([]);
    // every request was answered, so the database holds exactly what was answered
    expect((await db.selectFrom('holds').select('id').execute()).length).toBe(record.holdIds.length);
    expect((await db.selectFrom('loans').select('id').execute()).length).toBe(record.loans.length);

    await outboxDrained(db, 30_000);
    const sent = await deliveries(db, peer);
    console.log(`two servers: ${sent.sent} notices sent, ${peer.accepted.length} messages accepted by the SMTP peer (${sent.withdrawnAfterSending} of notices withdrawn while being sent)`);
    expect(sent.sent).toBeGreaterThan(0);
    expect(sent.neverArrived).toEqual([]);
    expect(sent.duplicates).toEqual([]);
    expect(sent.strangers).toEqual([]);
    for (const server of servers) expect(server.child.exitCode).toBeNull();
  }, loadTimeoutMs);
});
