import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concernedLibraries, type Who } from '../support/authorization-callers';
import { contactDetailsOf, patronObjects, tracesOf } from '../support/authorization-leaks';
import { expectedTable, type Verdict } from '../support/authorization-policies';
import { requests, type CellRequest } from '../support/authorization-requests';
import { createMatrixWorld, type MatrixWorld } from '../support/authorization-world';
import { fixtureStaffName, fixtureStaffPassword, type FixtureStaffKind } from '../support/fixture';
import type { ApiResponse, Caller } from '../support/test-app';

// The authorization matrix: every operation of the published API × every kind of caller —
// anonymous, the patron whose data it is, another patron, each staff role at the library
// concerned and at other libraries, the consortium office — allowed or refused as API.md and
// DESIGN.md say (tests/support/authorization-policies.ts); then what patrons and staff of
// other libraries get to see of a patron. TAMARACK_AUTHZ_LIBRARIES (the libraries concerned, one
// matrix each) and TAMARACK_AUTHZ_OTHER_LIBRARIES (the other libraries' staff) size it.

let cells = 0;
const counts: string[] = [];
afterAll(() => console.log(`authorization matrix: ${cells} cells checked (${counts.join('; ')})`));

function send(caller: Caller, req: CellRequest): Promise<ApiResponse> {
  const url = `/api/v1${req.path}`;
  if (req.body === undefined) return caller.request({ method: req.method, url });
  if (Buffer.isBuffer(req.body)) return caller.request({ method: req.method, url, payload: req.body, headers: { 'content-type': req.contentType ?? 'application/octet-stream' } });
  return caller.request({ method: req.method, url, payload: req.body as object });
}

/** Why the answer is not the expected one, or null when it is. */
function mismatch(expected: Verdict, who: Who, res: ApiResponse): string | null {
  const code = res.body?.error?.code;
  if (expected === 'allowed') return res.status >= 200 && res.status < 300 ? null : 'expected 2xx';
  if (who.kind === 'anonymous') return res.status === 401 && code === 'UNAUTHENTICATED' ? null : 'expected 401 UNAUTHENTICATED';
  return res.status === 403 && (code === 'FORBIDDEN' || code === 'NOT_OWN_LIBRARY') ? null : 'expected 403 FORBIDDEN or NOT_OWN_LIBRARY';
}

async function runRow(w: MatrixWorld, key: string): Promise<string[]> {
  const failures: string[] = [];
  const row = expectedTable[key];
  for (const c of w.callers) {
    const req = await requests[key](w, c);
    const res = await send(req.as ?? c.caller, req);
    cells++;
    const wrong = mismatch(row.policy(c.who), c.who, res);
    if (wrong) failures.push(`${c.label}: ${wrong}, got ${res.status} ${res.text.slice(0, 160)}`);
    // a refusal tells nothing about the patron it protects
    if (row.policy(c.who) === 'refused' && c.who.kind !== 'patron') {
      const leaked = tracesOf(w.owner, res.text).filter((trace) => trace !== w.owner.barcode);
      if (leaked.length > 0) failures.push(`${c.label}: the refusal names ${leaked.join(', ')}`);
    }
  }
  return failures;
}

describe.each(concernedLibraries())('with %s as the library concerned', (lib) => {
  let w: MatrixWorld;
  let operations: string[] = [];

  beforeAll(async () => {
    w = await createMatrixWorld(lib);
    const doc = (await w.t.anonymous.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path.replace(/^\/api\/v1/, '')}`),
    );
  }, 180_000);
  afterAll(async () => {
    counts.push(`${lib}: ${Object.keys(expectedTable).length} rows × ${w?.callers.length} callers`);
    await w?.t.close();
  });

  describe('the matrix covers the published API', () => {
    it('has an expected row and a request for every OpenAPI operation', () => {
      expect(operations.length).toBeGreaterThan(40);
      const rows = new Set(Object.keys(expectedTable).map((key) => key.split('#')[0]));
      expect(operations.filter((op) => !rows.has(op)), 'operations without a row in tests/support/authorization-policies.ts').toEqual([]);
      expect(Object.keys(expectedTable).filter((key) => !(key in requests)), 'rows without a request').toEqual([]);
      expect([...rows].filter((op) => op !== 'GET /health' && !operations.includes(op)), 'rows for operations the API does not publish').toEqual([]);
    });

    it('asks as every kind of caller', () => {
      const kinds = new Set(w.callers.map((c) => (c.who.kind === 'staff' ? `${c.who.own ? 'own' : 'other'} ${c.who.role}` : c.who.kind)));
      for (const kind of ['anonymous', 'patron', 'other-patron', 'own circ', 'own cat', 'own admin', 'other circ', 'other cat', 'other admin', 'consortium-admin']) {
        expect(kinds, kind).toContain(kind);
      }
    });
  });

  describe('who may call each operation', () => {
    // in the table's order: POST /auth/logout-everywhere, which ends the shared sessions, comes last
    it.each(Object.keys(expectedTable))('%s', async (key) => {
      expect(await runRow(w, key)).toEqual([]);
    });
  });

  describe('what each caller sees of a patron', () => {
    // the matrix's sessions ended with its last row: each caller signs in again, once
    const sessions = new Map<string, Promise<Caller>>();
    const session = (label: string): Promise<Caller> => {
      if (!sessions.has(label)) {
        const matrixCaller = w.callers.find((c) => c.label === label);
        const [code, kind] = label.split(' ') as [string, FixtureStaffKind];
        sessions.set(label, matrixCaller ? matrixCaller.signInAgain() : w.t.login(fixtureStaffName(code, kind), fixtureStaffPassword));
      }
      return sessions.get(label)!;
    };
    const as = async (label: string, path: string): Promise<ApiResponse> => {
      const res = await (await session(label)).get(`/api/v1${path}`);
      expect(res.status, `${label} GET ${path}: ${res.text.slice(0, 200)}`).toBe(200);
      return res;
    };

    it('a patron reading their own account sees their holds, loans and notices', async () => {
      const account = (await as('patron (owner)', `/patrons/${w.owner.barcode}`)).body;
      expect(account.holds.map((h: { id: number }) => h.id)).toEqual(expect.arrayContaining([w.ownerHoldId, w.shelfHoldId]));
      expect(JSON.stringify(account.loans)).toContain(w.loanItem);
      const holds = (await as('patron (owner)', '/holds')).body as { id: number; patron: { barcode: string } }[];
      expect(holds.map((h) => h.id)).toEqual(expect.arrayContaining([w.ownerHoldId, w.shelfHoldId, w.transitHoldId]));
      expect(new Set(holds.map((h) => h.patron.barcode))).toEqual(new Set([w.owner.barcode]));
      expect(((await as('patron (owner)', '/notices')).body as unknown[]).length).toBeGreaterThan(0);
    });

    it("patron-facing answers never carry another patron's rows, name or contact details", async () => {
      const other = 'other patron';
      for (const path of ['/holds', `/holds?library=${w.lib}`, '/holds?status=waiting', '/notices', `/patrons/${w.other.barcode}`, '/auth/me']) {
        expect(tracesOf(w.owner, (await as(other, path)).text), `other patron GET ${path}`).toEqual([]);
      }
      // the owner's hold waits behind the other patron's on the same title
      const queued = (await as('patron (owner)', `/holds/${w.ownerHoldId}`)).body;
      expect(queued.queuePosition).toBe(2);
      for (const path of [`/holds/${w.ownerHoldId}`, '/holds', `/patrons/${w.owner.barcode}`, '/notices']) {
        expect(tracesOf(w.other, (await as('patron (owner)', path)).text), `owner GET ${path}`).toEqual([]);
      }
      const record = (await as('patron (owner)', `/holds/${w.ownerHoldId}`)).body.record.id;
      for (const path of [`/records/${record}`, `/records/${w.recordId}`, '/records?q=Matrix']) {
        for (const label of ['anonymous', other]) {
          const text = (await as(label, path)).text;
          expect([...tracesOf(w.owner, text), ...tracesOf(w.other, text)], `${label} GET ${path}`).toEqual([]);
        }
      }
    });

    it('in library lists, item screens and slips a patron is a name and a card barcode, at any library', async () => {
      // the owner's hold travels to B, their pickup library: B's staff see it at their desk
      const lists: [string, string][] = [
        ['B circ', '/libraries/B/transits?direction=incoming'],
        ['B circ', '/holds?library=B'],
        ['B circ', `/holds/${w.transitHoldId}`],
        ['B circ', `/slips/transit/${w.transitId}`],
        [`${w.lib} circ`, `/libraries/${w.lib}/transits?direction=outgoing`],
        [`${w.lib} circ`, `/libraries/${w.lib}/holds-shelf`],
        [`${w.lib} circ`, `/libraries/${w.lib}/pull-list`],
        [`${w.lib} circ`, `/libraries/${w.lib}/lent-out`],
        [`${w.lib} circ`, `/items/${w.loanItem}`],
        [`${w.lib} circ`, `/slips/hold-shelf/${w.shelfHoldId}`],
        [`${w.lib} circ`, `/slips/due-date/${w.loanId}`],
        [`${w.lib} circ`, `/reports/holds?library=${w.lib}&from=2025-01-01&to=2025-12-31`],
        ['B circ', `/items/${w.transitItem}`],
      ];
      const naming: string[] = [];
      for (const [label, path] of lists) {
        const res = await as(label, path);
        expect(contactDetailsOf(w.owner, res.text), `${label} GET ${path}`).toEqual([]);
        const patrons = res.body === undefined ? [] : patronObjects(res.body, w.owner);
        for (const patron of patrons) expect(Object.keys(patron).sort(), `${label} GET ${path}`).toEqual(['barcode', 'name']);
        if (patrons.length > 0 || res.text.includes(w.owner.barcode)) naming.push(path);
      }
      // the check has something to look at: most of these answers do name the patron
      expect(naming.length, naming.join(', ')).toBeGreaterThanOrEqual(lists.length - 2);
    });
  });
});
