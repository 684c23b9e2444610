import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandArbitrary, perform } from './circulation-commands';
import { expectedStatus, learn, newModel, observe, resolve, type Action, type Command } from './circulation-reference-model';
import { checkLane, firstNewBarcode, libraries, openLane, resetLane, start, startItems, type ClosureSpec, type Lane } from './model-lane';

// Random sequences of desk and office work — place, scan (at any library, sometimes twice),
// check out, renew, cancel, redirect, not on shelf, suspend and resume, cancel transit, clear the
// holds shelf, add a copy, and clock jumps of days that run the scheduled jobs — over a small
// consortium whose libraries close on random dates. After every step: every invariant of
// circulation-invariants.ts, and the pure reference model against the database (see
// circulation-reference-model.ts).
//
// Sized by TAMARACK_MODEL_RUNS × TAMARACK_MODEL_STEPS (quick by default; CI runs 100,000 steps on
// PostgreSQL), spread over TAMARACK_MODEL_LANES consortia worked side by side, seeded by
// TAMARACK_MODEL_SEED.

const runs = Number(process.env.TAMARACK_MODEL_RUNS ?? 4);
const steps = Number(process.env.TAMARACK_MODEL_STEPS ?? 60);
const laneCount = Math.max(1, Math.min(runs, Number(process.env.TAMARACK_MODEL_LANES ?? 1)));
const seed = Number(process.env.TAMARACK_MODEL_SEED ?? 20250303);
// Shrinking a sequence of hundreds of HTTP steps takes far longer than finding it: the failure
// message names the step and the steps before it; TAMARACK_MODEL_SHRINK=1 shrinks it too.
const shrink = process.env.TAMARACK_MODEL_SHRINK === '1';

let lanes: Lane[] = [];

beforeAll(async () => {
  for (let i = 0; i < laneCount; i++) lanes.push(await openLane(99 + i));
}, 120_000 * laneCount);
afterAll(async () => {
  for (const lane of lanes) await lane.f.t.close();
  lanes = [];
});

/** Closed dates of a run: a few short closures, within the run's first months. */
const closureArbitrary: fc.Arbitrary<ClosureSpec> = fc.array(
  fc.record({ library: fc.nat({ max: libraries.length - 1 }), from: fc.nat({ max: 90 }), days: fc.integer({ min: 1, max: 5 }) }),
  { maxLength: 6 },
);

const totals = { runs: 0, operations: 0, ms: 0, actionMs: 0, checkMs: 0, byOp: {} as Record<string, { n: number; ms: number }> };

/** Runs one sequence from the starting state, checking everything after every step. */
async function runSequence(lane: Lane, commands: readonly Command[], closureSpec: ClosureSpec): Promise<void> {
  const began = performance.now();
  const closures = await resetLane(lane, closureSpec);
  const model = newModel({ now: start, libraries, patrons: lane.patrons, closures, items: startItems, firstNewBarcode });
  model.seen = (await checkLane(lane)).state;
  const trail: Action[] = [];
  for (const [i, c] of commands.entries()) {
    const action = resolve(model, c);
    if (action.op === 'none') continue;
    trail.push(action);
    const expected = expectedStatus(model, action);
    const acted = performance.now();
    const answer = await perform(lane.desk, action);
    const checked = performance.now();
    const where = `step ${i}: ${JSON.stringify(action)} answered ${answer.status} ${JSON.stringify(answer.body)}\nafter ${JSON.stringify(trail.slice(-12, -1))}`;
    expect(answer.status, where).toBeLessThan(500);
    if (expected !== null) expect(answer.status, where).toBe(expected);
    const problems = learn(model, action, answer);
    const { broken, state } = await checkLane(lane);
    problems.push(...observe(model, action, answer, state));
    expect({ broken, problems }, where).toEqual({ broken: {}, problems: [] });
    const byOp = (totals.byOp[action.op] ??= { n: 0, ms: 0 });
    byOp.n++;
    byOp.ms += checked - acted;
    totals.actionMs += checked - acted;
    totals.checkMs += performance.now() - checked;
    totals.operations++;
  }
  totals.runs++;
  totals.ms += performance.now() - began;
}

const sequence = fc.tuple(fc.array(commandArbitrary, { minLength: steps, maxLength: steps }), closureArbitrary);

describe('the circulation model', () => {
  afterAll(() => {
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const ops = Object.entries(totals.byOp).map(([op, t]) => `${op} ${t.n} × ${(t.ms / t.n).toFixed(1)} ms`);
    console.log(`circulation model: ${totals.operations} operations in ${totals.runs} runs on ${laneCount} lanes (summed over lanes: ${s(totals.ms)}, actions ${s(totals.actionMs)}, checks ${s(totals.checkMs)}): ${ops.join(', ')}`);
  });

  it('keeps every invariant and the reference model after every step of random desk work', async () => {
    await Promise.all(
      lanes.map((lane, i) => {
        const laneRuns = Math.floor(runs / laneCount) + (i < runs % laneCount ? 1 : 0);
        const property = fc.asyncProperty(sequence, ([commands, closures]) => runSequence(lane, commands, closures));
        return fc.assert(property, { numRuns: laneRuns, seed: seed + i, endOnFailure: !shrink });
      }),
    );
    expect(totals.runs).toBe(runs);
  }, 3_600_000);
});
