import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffActor } from '../../src/domain/actor';
import { seededRandom } from '../../src/domain/seeded-random';
import { scanItem } from '../../src/services/circulation/scan';
import type { ServiceContext } from '../../src/services/context';
import { createConsortiumFixture, type ConsortiumFixture } from '../support/fixture';

// The scan is the most frequent call at a desk: one statement loads what it needs, one applies
// the outcome (BEGIN and COMMIT aside). Counted here on the real service, library facts warm.

class StatementCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count++;
    return args.result;
  }
}

let f: ConsortiumFixture;
let recordId: number;
const counter = new StatementCounter();
let ctx: ServiceContext;

beforeAll(async () => {
  const random = seededRandom(5);
  f = await createConsortiumFixture(undefined, { random: () => random.next() });
  recordId = (await f.admin.post('/records', { title: 'Walden' })).body.id;
  for (const [code, barcode] of [['A', '31000001'], ['B', '32000001'], ['C', '33000001']]) {
    expect((await (await f.staff(code, 'cat')).post('/items', { recordId, libraryCode: code, callNumber: '818 THO', barcode, catalogedAt: '2024-01-01' })).status).toBe(201);
  }
  const staff = await f.t.connection.db.selectFrom('staff').innerJoin('libraries', 'libraries.id', 'staff.library_id').select(['staff.id', 'staff.username', 'libraries.id as library_id', 'libraries.code']).where('staff.username', '=', 'a-circ').executeTakeFirstOrThrow();
  const actor: StaffActor = { kind: 'staff', staffId: staff.id, username: staff.username, role: 'circulation', libraryId: staff.library_id, libraryCode: staff.code };
  ctx = { db: f.t.connection.db.withPlugin(counter), clock: f.t.clock, actor };
});
afterAll(() => f.t.close());

async function statementsOf(barcode: string): Promise<{ statements: number; action: string }> {
  counter.count = 0;
  const answer = await scanItem(ctx, barcode);
  if (!answer.ok) throw new Error(answer.refusal.message);
  return { statements: counter.count, action: answer.value.action };
}

describe('the scan hot path', () => {
  it('takes one statement to load and one to apply, with the library facts in memory', async () => {
    await statementsOf('31000001'); // loads the library facts once
    // B's patron holds A's copy; scanned at A, it is captured for B: a transit, with events
    const hold = await (await f.staff('A', 'circ')).post('/holds', { patronBarcode: '22000001', type: 'copy', itemBarcode: '31000001', recordId, pickupLibraryCode: 'B' });
    expect(hold.body).toMatchObject({ status: 'targeted' });
    const capture = await statementsOf('31000001');
    expect(capture.action).toBe('transit');
    expect(capture.statements).toBe(2);
    // a re-scan changes nothing: one load, one read of the hold the answer shows
    expect(await statementsOf('31000001')).toEqual({ statements: 2, action: 'transit' });
    // B's copy, nobody waiting for it, scanned at A: sent home in two statements
    expect(await statementsOf('32000001')).toEqual({ statements: 2, action: 'transit' });
    // an item at home with nothing to do: one statement to load, one to write nothing but its status
    expect((await statementsOf('33000001')).statements).toBeLessThanOrEqual(2);
  });

  it('reloads the library facts once after a library changes, then does not again', async () => {
    await scanItem(ctx, '32000001'); // whatever it does, a second scan of it changes nothing
    // the first scan after the change reads the facts again (one statement), the next ones do not
    expect((await f.admin.patch('/libraries/A', { holdShelfDays: 5 })).status).toBe(200);
    counter.count = 0;
    await scanItem(ctx, '32000001');
    const afterChange = counter.count;
    counter.count = 0;
    await scanItem(ctx, '32000001');
    expect(afterChange).toBe(counter.count + 1);
  });
});
