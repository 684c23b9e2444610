import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusOf, type RefusalCode } from '../../src/domain/refusal';
import { hashToken } from '../../src/services/sessions';
import { databaseFingerprint } from '../support/database-fingerprint';
import { createConsortiumFixture } from '../support/fixture';
import { briefReporter } from '../support/fuzz-report';
import { bodyRequestArbitrary, operationsOf, queryRequestArbitrary, type ApiOperation, type HostileRequest } from '../support/hostile-requests';
import type { TestApp } from '../support/test-app';
import { testDatabaseKind } from '../support/test-database-kind';

// Property: whatever arrives — a body of the wrong types, huge or strange strings, SQL and HTML,
// missing and extra fields, broken JSON, another content type — the API answers with a 2xx or a
// clear 4xx error, never a 5xx, and a refused change leaves the database as it was.
// TAMARACK_FUZZ_BODIES is the number of bodies per endpoint group (spread over the group's POST
// and PATCH operations); TAMARACK_FUZZ_RUNS the number of random queries per GET operation.
const bodiesPerGroup = Number(process.env.TAMARACK_FUZZ_BODIES ?? 40);
const queryRuns = Number(process.env.TAMARACK_FUZZ_RUNS ?? 8);
const jsonBodyLimit = 50 * 1024 * 1024;

/** One of the three callers: the consortium office, a library's administrator, nobody. */
interface Who {
  name: string;
  staffId?: number;
  cookie?: string;
}

/** One fixture consortium on a database of its own; groups fuzzed side by side use one each. */
interface Lane {
  t: TestApp;
  callers: Who[];
  lastFingerprint: string;
}

// On a server the database does most of the work: groups run side by side on separate
// databases, each lane's own requests one after another (the fingerprint needs that).
const laneCount = testDatabaseKind() === 'postgres' ? 3 : 1;
let lanes: Lane[] = [];
let operations: ApiOperation[] = [];
const tally = new Map<string, { requests: number; bodies: number; statuses: Map<number, number>; codes: Set<string> }>();

// A session written straight into the table: cheaper than a sign-in (argon2), so a caller that
// a random POST /auth/logout signed out is back at once.
async function signIn(t: TestApp, who: Who): Promise<void> {
  if (who.staffId === undefined) return;
  const token = randomBytes(32).toString('base64url');
  await t.connection.db.insertInto('sessions').values({ token_hash: hashToken(token), staff_id: who.staffId, patron_id: null, created_at: new Date(), last_seen_at: new Date() }).execute();
  who.cookie = `tamarack_session=${token}`;
}

async function openLane(): Promise<Lane> {
  const f = await createConsortiumFixture();
  const t = f.t;
  const recordId = (await f.admin.post('/records', { title: 'The Maine Woods' })).body.id;
  await (await f.staff('A', 'cat')).post('/items', { recordId, libraryCode: 'A', callNumber: 'F THO', barcode: '31000001' });
  await (await f.staff('B', 'cat')).post('/items', { recordId, libraryCode: 'B', callNumber: 'F THO', barcode: '31000002' });
  const staffId = async (username: string) => (await t.connection.db.selectFrom('staff').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  const callers: Who[] = [{ name: 'admin', staffId: await staffId('admin') }, { name: 'a-admin', staffId: await staffId('a-admin') }, { name: 'anonymous' }];
  for (const who of callers) await signIn(t, who);
  return { t, callers, lastFingerprint: await databaseFingerprint(t.connection.db) };
}

beforeAll(async () => {
  for (let i = 0; i < laneCount; i++) lanes.push(await openLane());
  operations = operationsOf((await lanes[0].t.anonymous.get('/api/v1/openapi.json')).body);
});
afterAll(async () => {
  for (const lane of lanes) await lane.t.close();
});

function count(group: string, req: HostileRequest, status: number, code: unknown): void {
  const entry = tally.get(group) ?? { requests: 0, bodies: 0, statuses: new Map(), codes: new Set() };
  entry.requests++;
  if (req.kind !== 'none') entry.bodies++;
  entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
  if (typeof code === 'string') entry.codes.add(code);
  tally.set(group, entry);
}

async function send(lane: Lane, op: ApiOperation, req: HostileRequest, who: Who): Promise<void> {
  const { t } = lane;
  const headers: Record<string, string> = { ...(who.cookie ? { cookie: who.cookie } : {}), ...(req.contentType ? { 'content-type': req.contentType } : {}) };
  const res = await t.app.inject({ method: op.method, url: req.url, headers, ...(req.payload === undefined ? {} : { payload: req.payload }) });
  const shown = `${op.method} ${req.url.slice(0, 200)} as ${who.name} with ${req.kind} ${String(req.payload ?? '').slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  if (res.statusCode >= 500) throw new Error(shown);
  let error: { code?: unknown; message?: unknown } | undefined;
  if (res.statusCode >= 400) {
    expect(String(res.headers['content-type']), shown).toContain('application/json');
    error = (JSON.parse(res.body) as { error?: typeof error }).error;
    expect(error?.code, shown).toEqual(expect.stringMatching(/^[A-Z][A-Z_]+$/));
    expect(error?.message, shown).toEqual(expect.stringMatching(/\S/));
    // a code of the published list, with its own status (size and media-type refusals aside)
    if (![413, 414, 415].includes(res.statusCode)) expect(statusOf(error!.code as RefusalCode), shown).toBe(res.statusCode);
  }
  count(op.group, req, res.statusCode, error?.code);
  if (op.method === 'GET') return;
  const now = await databaseFingerprint(t.connection.db);
  if (res.statusCode >= 400) expect(now, `a refused request changed the database: ${shown}`).toBe(lane.lastFingerprint);
  lane.lastFingerprint = now;
  if (res.statusCode < 300 && op.path.startsWith('/api/v1/auth/')) for (const c of lane.callers) await signIn(t, c);
}

const groups = () => [...new Set(operations.map((op) => op.group))];

describe('random input never produces a 5xx', () => {
  it('covers the whole published API', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(groups()).toEqual(expect.arrayContaining(['holds', 'circulation', 'items', 'patrons', 'records', 'libraries', 'admin', 'auth', 'staff']));
  });

  it(`${bodiesPerGroup} bodies per endpoint group, from the office, a library administrator and anonymous callers: only clear 4xx, and a refusal changes nothing`, async () => {
    const started = Date.now();
    const bodyGroups = groups().filter((g) => operations.some((op) => op.group === g && op.method !== 'GET'));
    const fuzzGroup = async (lane: Lane, group: string) => {
      const ops = operations.filter((op) => op.group === group && op.method !== 'GET');
      lane.lastFingerprint = await databaseFingerprint(lane.t.connection.db);
      const request = fc.integer({ min: 0, max: ops.length - 1 }).chain((i) => fc.tuple(fc.constant(ops[i]), bodyRequestArbitrary(ops[i])));
      await fc.assert(
        fc.asyncProperty(request, fc.integer({ min: 0, max: lane.callers.length - 1 }), async ([op, req], whoIndex) => send(lane, op, req, lane.callers[whoIndex])),
        { numRuns: bodiesPerGroup, endOnFailure: true, reporter: briefReporter },
      );
    };
    await Promise.all(
      lanes.map(async (lane, i) => {
        for (const group of bodyGroups.filter((_, g) => g % lanes.length === i)) await fuzzGroup(lane, group);
      }),
    );
    const all = [...tally.values()];
    const bodies = all.reduce((n, e) => n + e.bodies, 0);
    const summary = [...tally].map(([g, e]) => `${g} ${e.bodies} (${[...e.statuses].sort().map(([s, n]) => `${s}×${n}`).join(' ')})`).join('; ');
    console.info(`random bodies: ${bodies} in ${((Date.now() - started) / 1000).toFixed(1)} s — ${summary}`);
    // near-valid bodies reach the services: some are accepted, some refused for what they name
    expect(all.some((e) => [...e.statuses.keys()].some((s) => s < 300))).toBe(true);
    expect(new Set(all.flatMap((e) => [...e.codes])).size).toBeGreaterThanOrEqual(4);
  }, 1_200_000);

  it(`${queryRuns} random queries and path parameters per GET operation`, async () => {
    for (const op of operations.filter((o) => o.method === 'GET')) {
      await fc.assert(
        fc.asyncProperty(queryRequestArbitrary(op), fc.integer({ min: 0, max: lanes[0].callers.length - 1 }), async (req, whoIndex) => send(lanes[0], op, req, lanes[0].callers[whoIndex])),
        { numRuns: queryRuns, endOnFailure: true, reporter: briefReporter },
      );
    }
  }, 600_000);

  it('answers 413 with a clear error to a body over the limit, in every group', async () => {
    const huge = `{"note":"${'x'.repeat(jsonBodyLimit)}"}`;
    for (const group of groups()) {
      const op = operations.find((o) => o.group === group && o.method !== 'GET');
      if (!op) continue;
      const url = op.path.replace(/\{[^}]+\}/g, '1');
      const { t, callers } = lanes[0];
      const before = await databaseFingerprint(t.connection.db);
      const res = await t.app.inject({ method: op.method, url, headers: { cookie: callers[0].cookie!, 'content-type': 'application/json' }, payload: huge });
      expect(res.statusCode, `${op.method} ${url}`).toBe(413);
      expect(JSON.parse(res.body).error).toMatchObject({ code: expect.stringMatching(/^[A-Z_]+$/), message: expect.stringMatching(/too large/) });
      expect(await databaseFingerprint(t.connection.db)).toBe(before);
    }
  }, 120_000);
});
