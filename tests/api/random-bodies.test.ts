import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsortiumFixture } from '../support/fixture';
import type { Caller, TestApp } from '../support/test-app';

// Property: whatever body, query or path parameter arrives, the API answers with a 2xx or a
// clear 4xx error — never a 500. Sized by TAMARACK_FUZZ_RUNS (quick by default).
const runs = Number(process.env.TAMARACK_FUZZ_RUNS ?? 25);

interface Operation {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  bodyKeys: string[];
  queryKeys: string[];
}

let t: TestApp;
let operations: Operation[] = [];
let callers: Caller[] = [];

beforeAll(async () => {
  const f = await createConsortiumFixture();
  t = f.t;
  const recordId = (await f.admin.post('/records', { title: 'The Maine Woods' })).body.id;
  await (await f.staff('A', 'cat')).post('/items', { recordId, libraryCode: 'A', callNumber: 'F THO', barcode: '31000001' });
  // the office, a library's administrator (the deepest rights at a desk), and nobody
  callers = [f.admin, await f.staff('A', 'admin'), t.anonymous];
  const doc = (await t.anonymous.get('/api/v1/openapi.json')).body as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }; parameters?: { in: string; name: string }[] }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => ['get', 'post', 'patch'].includes(method))
      .map(([method, op]) => ({
        method: method.toUpperCase() as Operation['method'],
        path,
        bodyKeys: Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
        queryKeys: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      })),
  );
});
afterAll(() => t.close());

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('', ' ', 'A', 'S', 'NOPE', '0', '-1', '1e309', "'; DROP TABLE items; --", '<script>alert(1)</script>', '\u0000', 'ـمكتبة', '2025-02-30', '25:99', 'x'.repeat(10_000)),
  fc.integer(),
  fc.double(),
  fc.constantFrom(2147483648, -2147483649, Number.MAX_SAFE_INTEGER),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(nasty, fc.array(nasty, { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), nasty, { maxKeys: 4 }));

function bodyFor(keys: string[]): fc.Arbitrary<unknown> {
  const shaped = keys.length
    ? fc.subarray(keys).chain((chosen) => fc.tuple(...chosen.map((k) => value.map((v) => [k, v] as const))).map((pairs) => Object.fromEntries(pairs)))
    : fc.constant({});
  return fc.oneof(shaped, value, fc.anything());
}

function fillPath(path: string, param: string): string {
  return path.replace(/\{[^}]+\}/g, encodeURIComponent(param));
}

describe('random input never produces a 500', () => {
  it('covers the whole published API', () => {
    expect(operations.length).toBeGreaterThan(10);
  });

  it('holds for every operation, for the consortium office, a library administrator and anonymous callers', async () => {
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(
          bodyFor(op.bodyKeys),
          fc.oneof(fc.constantFrom('A', 'S', '1', '31000001', 'NOPE', '0'), fc.string({ minLength: 1, maxLength: 40 })),
          fc.dictionary(fc.constantFrom(...op.queryKeys, 'q', 'limit', 'offset'), fc.string({ maxLength: 30 }), { maxKeys: 3 }),
          fc.integer({ min: 0, max: 2 }),
          async (body, param, query, whoIndex) => {
            const who = callers[whoIndex];
            const url = `${fillPath(op.path, param)}?${new URLSearchParams(query as Record<string, string>).toString()}`;
            const res = await who.request({ method: op.method, url, ...(op.method === 'GET' ? {} : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
            if (res.status >= 500) throw new Error(`${op.method} ${url} with ${JSON.stringify(body).slice(0, 300)} → ${res.status} ${res.text.slice(0, 300)}`);
            if (res.status >= 400) expect(res.body?.error?.code, `${op.method} ${url}`).toEqual(expect.any(String));
          },
        ),
        { numRuns: runs },
      );
    }
  }, 300_000);
});
