import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connection';
import { ok } from '../../src/domain/refusal';
import type { Tx } from '../../src/services/context';
import { inTransaction, isRetriable } from '../../src/services/transaction';
import { openTestDatabase } from '../support/database';
import { testDatabaseKind } from '../support/test-database-kind';

// A transaction PostgreSQL gives up (deadlock 40P01, serialization failure 40001) runs again from
// the start, inside the service: the desk never sees it. The probe rows live in `jobs`, the one
// table without foreign keys.

const onPostgres = testDatabaseKind() === 'postgres';
if (!onPostgres) console.warn("Skipping 'two transactions that really deadlock': it needs a second connection, and runs in the PostgreSQL pass (TAMARACK_TEST_DB=postgres).");

let connection: Connection;
beforeAll(async () => {
  connection = await openTestDatabase();
});
afterAll(async () => {
  await connection?.close();
});

const noWait = { sleep: async () => undefined };

async function probe(trx: Tx, name: string): Promise<void> {
  await trx.insertInto('jobs').values({ name, state: 'done', run_after: new Date() }).execute();
}

async function probes(name: string): Promise<number> {
  return (await connection.db.selectFrom('jobs').select('id').where('name', '=', name).execute()).length;
}

/** The error as the engine raises it, through the driver, inside the transaction. */
async function raise(trx: Tx, state: string): Promise<never> {
  await sql.raw(`DO $$ BEGIN RAISE EXCEPTION 'lost a race' USING ERRCODE = '${state}'; END $$`).execute(trx);
  throw new Error('the engine did not raise');
}

describe('inTransaction retries a transaction the database gave up', () => {
  it('runs a transaction that hit a deadlock once more, keeping only the last run', async () => {
    let runs = 0;
    const result = await inTransaction(
      connection,
      async (trx) => {
        runs++;
        await probe(trx, 'deadlock-once');
        if (runs === 1) await raise(trx, '40P01');
        return ok(runs);
      },
      noWait,
    );
    expect(result).toEqual({ ok: true, value: 2 });
    expect(await probes('deadlock-once')).toBe(1);
  });

  it('retries a serialization failure raised at any depth (a wrapped cause)', async () => {
    let runs = 0;
    const waits: number[] = [];
    const result = await inTransaction(
      connection,
      async () => {
        if (++runs < 3) throw new Error('wrapped', { cause: Object.assign(new Error('could not serialize access'), { code: '40001' }) });
        return ok('done');
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toEqual({ ok: true, value: 'done' });
    expect(runs).toBe(3);
    // short, random and growing: the second wait is at least the first one's lower bound doubled
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(5);
    expect(waits[0]).toBeLessThan(15);
    expect(waits[1]).toBeGreaterThanOrEqual(10);
    expect(waits[1]).toBeLessThan(30);
  });

  it('gives up after a few attempts and lets the last error through', async () => {
    let runs = 0;
    const attempt = inTransaction(
      connection,
      async (trx) => {
        runs++;
        await probe(trx, 'always-deadlocked');
        return raise(trx, '40P01');
      },
      { ...noWait, attempts: 4 },
    );
    await expect(attempt).rejects.toMatchObject({ code: '40P01' });
    expect(runs).toBe(4);
    expect(await probes('always-deadlocked')).toBe(0);
  });

  it('does not retry other errors nor refusals', async () => {
    let runs = 0;
    await expect(
      inTransaction(
        connection,
        async (trx) => {
          runs++;
          return raise(trx, '23505');
        },
        noWait,
      ),
    ).rejects.toMatchObject({ code: '23505' });
    expect(runs).toBe(1);
    const refused = await inTransaction(
      connection,
      async (trx) => {
        runs++;
        await probe(trx, 'refused');
        return { ok: false, refusal: { code: 'INVALID_STATE', message: 'No.' } } as const;
      },
      noWait,
    );
    expect(refused.ok).toBe(false);
    expect(runs).toBe(2);
    expect(await probes('refused')).toBe(0);
    expect(isRetriable(new Error('connection terminated'))).toBe(false);
  });

  it.skipIf(!onPostgres)('lets two transactions that really deadlock both commit (PostgreSQL)', async () => {
    const ids = await connection.db
      .insertInto('jobs')
      .values([{ name: 'lock-a', state: 'done', run_after: new Date() }, { name: 'lock-b', state: 'done', run_after: new Date() }])
      .returning('id')
      .execute();
    const [a, b] = ids.map((r) => r.id);
    // each holds its first row until the other holds its own: opposite orders, a certain deadlock
    let holding = 0;
    const bothHolding = new Promise<void>((resolve) => {
      const check = setInterval(() => holding >= 2 && (clearInterval(check), resolve()), 5);
    });
    let runs = 0;
    const lockInOrder = (first: string, second: string) =>
      inTransaction(connection, async (trx) => {
        const run = ++runs;
        await trx.updateTable('jobs').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', first).execute();
        if (run <= 2) {
          holding++;
          await bothHolding;
        }
        await trx.updateTable('jobs').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', second).execute();
        return ok(run);
      });
    const results = await Promise.all([lockInOrder(a, b), lockInOrder(b, a)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(runs).toBe(3);
    const rows = await connection.db.selectFrom('jobs').select(['attempts']).where('id', 'in', [a, b]).execute();
    expect(rows.map((r) => r.attempts)).toEqual([2, 2]);
  }, 20_000);
});
