import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type Connection } from '../../src/db/connection';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';
import { adminPgUrl, pgUrlFor, postgresAvailable } from '../support/test-database-kind';

// DESIGN §2 "Scaling out" and §4 "Notices": real `tamarack serve` processes with the scheduler on
// share one PostgreSQL database and one SMTP server (a test peer). Every notice goes out exactly
// once however many processes send; a process killed between handing a message to the server
// and marking it sent costs at most that one message again, under the same Message-ID.

const hasPostgres = await postgresAvailable();
if (!hasPostgres) console.warn(`Skipping 'notices across server processes': it needs PostgreSQL, and none answers at ${adminPgUrl()}.`);

const database = `tamarack_notices_${process.pid}`;
let peer: SmtpPeer;
let connection: Connection;
let env: Record<string, string>;
const servers: ServerProcess[] = [];

async function serve(): Promise<ServerProcess> {
  // each process signs its mail, so the peer can tell who sent what
  const server = await startServerProcess({ ...env, MAIL_FROM: `process${servers.length + 1}@cons.example.org` });
  servers.push(server);
  return server;
}

let patronId: number;
let libraryId: number;

/** Pending emails, inserted as the app queues them (the trigger wakes the senders); answers their ids. */
async function queueNotices(count: number): Promise<string[]> {
  const now = new Date();
  const rows = Array.from({ length: count }, (_, i) => ({
    kind: 'hold-cancelled',
    channel: 'email' as const,
    patron_id: patronId,
    library_id: libraryId,
    to_address: `patron${i}@example.org`,
    subject: `Notice ${i}`,
    body: `Notice ${i} to a patron.`,
    created_at: now,
    send_after: now,
  }));
  const ids = await connection.db.insertInto('notices').values(rows).returning('id').execute();
  return ids.map((r) => r.id);
}

async function states(ids: string[]): Promise<Record<string, number>> {
  const rows = await connection.db.selectFrom('notices').select(['state', sql<number>`count(*)::int`.as('n')]).where('id', 'in', ids).groupBy('state').execute();
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** Waits (polling, at most 30 s) until every one of `ids` is marked sent. */
async function allSent(ids: string[]): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await states(ids)).sent === ids.length) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const rows = await connection.db.selectFrom('notices').select(['id', 'state', 'attempts', 'last_error', 'claimed_until', 'claimed_backend', 'send_after']).where('id', 'in', ids).execute();
  throw new Error(`not all sent: ${JSON.stringify(rows)} ${new Date().toISOString()}`);
}

const messageIdOf = (id: string) => `<notice-${id}@cons.tamarack>`;

function count(ids: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe.skipIf(!hasPostgres)('notices across server processes', () => {
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminPgUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    peer = await startSmtpPeer();
    env = {
      DATABASE_URL: pgUrlFor(database),
      TAMARACK_ADMIN_USER: 'office',
      TAMARACK_ADMIN_PASSWORD: 'north-branch-key',
      SMTP_URL: peer.url,
    };
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await connection?.close();
    await peer?.close();
    const admin = new pg.Client({ connectionString: adminPgUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('two processes send each of many notices exactly once', async () => {
    // one after the other: the first applies the migrations and creates the consortium
    const first = await serve();
    await serve();
    connection = await connectPostgres(pgUrlFor(database), 2);
    libraryId = (await connection.db.insertInto('libraries').values({ code: 'A', name: 'Abbot Library', opening_hours: '{}' }).returning('id').executeTakeFirstOrThrow()).id;
    patronId = (await connection.db.insertInto('patrons').values({ barcode: '21000001', first_name: 'Alice', last_name: 'Anders', home_library_id: libraryId }).returning('id').executeTakeFirstOrThrow()).id;

    const ids: string[] = [];
    for (let batch = 0; batch < 4; batch++) ids.push(...(await queueNotices(50)));
    await peer.waitForAccepted(ids.length, 30_000);
    await allSent(ids);
    const sent = count(peer.seen.map((m) => m.messageId));
    expect(sent.size).toBe(ids.length);
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(sent.keys())).toEqual(new Set(ids.map(messageIdOf)));
    expect(first.child.exitCode).toBeNull();
  }, 120_000);

  it('a process killed between sending and marking costs at most that one message again, with the same Message-ID', async () => {
    // one process sends: the peer knows whom to kill
    const [first, second] = servers;
    await second.stop();
    peer.seen.length = 0;
    peer.accepted.length = 0;
    let killed: string | undefined;
    peer.answer = (mail) => {
      if (killed !== undefined) return 'accept';
      killed = mail.messageId;
      first.child.kill('SIGKILL');
      return 'never';
    };
    const ids = await queueNotices(20);
    await first.exited;
    expect(killed).toBeDefined();
    // the message reached the server, but the process died before it could mark it
    expect(await states(ids)).toEqual({ pending: 20 });

    await serve();
    await allSent(ids);
    const seen = count(peer.seen.map((m) => m.messageId));
    expect(seen.get(killed!)).toBe(2);
    expect([...seen.entries()].filter(([id]) => id !== killed).every(([, n]) => n === 1)).toBe(true);
    expect(new Set(seen.keys())).toEqual(new Set(ids.map(messageIdOf)));
    expect(count(peer.accepted.map((m) => m.messageId)).size).toBe(20);
  }, 120_000);
});
