import { describe, expect, it } from 'vitest';
import { expectedStatus, learn, newModel, observe, type Model } from './circulation-reference-model';
import { expectedDueDate, expectedShelfExpiry } from './model-calendar';
import type { HoldRow, ItemRow, Snapshot } from './model-snapshot';

// The reference model alone, on hand-made snapshots: it must object to what the product must
// never do, or the model test could pass whatever the database says.

const now = new Date('2025-03-03T15:00:00Z'); // a Monday, 10:00 in New York

function model(): Model {
  return newModel({
    now,
    libraries: [
      { code: 'A', lends: true },
      { code: 'B', lends: true },
      { code: 'D', lends: false },
    ],
    patrons: [
      { barcode: 'PA', home: 'A' },
      { barcode: 'PD', home: 'D' },
    ],
    closures: { A: [{ from: '2025-03-24', to: '2025-03-25' }] },
    items: [{ barcode: 'I1', owner: 'A' }],
    firstNewBarcode: 900,
  });
}

const item = (extra: Partial<ItemRow> = {}): ItemRow => ({ barcode: 'I1', owner: 'A', status: 'available', at: 'A', circulations: 0, loanPatron: null, loanLibrary: null, due: null, transitTo: null, ...extra });
const hold = (extra: Partial<HoldRow> = {}): HoldRow => ({ id: 1, status: 'waiting', patron: 'PA', pickup: 'A', target: null, captured: null, shelvedAt: null, shelfExpiresAt: null, cancelReason: null, suspendedUntil: null, ...extra });
const snapshot = (holds: HoldRow[], items: ItemRow[] = [item()]): Snapshot => ({ items, holds });

/** A model that has placed hold 1 for PA at A and seen it `status`. */
function withHold(status: HoldRow['status'], extra: Partial<HoldRow> = {}): Model {
  const m = model();
  learn(m, { op: 'place', patron: 'PA', pickup: 'A' }, { status: 201, body: { id: 1 } });
  m.seen = snapshot([hold({ status, ...extra })]);
  return m;
}

describe('the reference model', () => {
  it('expects a second open hold of one patron, and a pickup outside the lending program, to be refused', () => {
    const m = withHold('waiting');
    expect(expectedStatus(m, { op: 'place', patron: 'PA', pickup: 'B' })).toBe(409);
    expect(expectedStatus(m, { op: 'place', patron: 'PD', pickup: 'A' })).toBe(409);
    expect(expectedStatus(m, { op: 'place', patron: 'PD', pickup: 'D' })).toBe(201);
  });

  it('objects to a terminal hold that changes, and to a cancel no step asked for', () => {
    const m = withHold('targeted', { target: 'I1' });
    expect(observe(m, { op: 'scan', barcode: 'I1', at: 'A', twice: false }, { status: 200, body: { action: 'shelve' } }, snapshot([hold({ status: 'cancelled' })]))).toEqual([
      expect.stringContaining('cancelled by scan, which may not cancel it'),
    ]);
    const cancelled = withHold('waiting');
    learn(cancelled, { op: 'cancel', hold: 1 }, { status: 200, body: {} });
    cancelled.seen = snapshot([hold({ status: 'cancelled' })]);
    expect(observe(cancelled, { op: 'jump', to: now }, { status: 200, body: {} }, snapshot([hold({ status: 'waiting' })]))).toEqual([
      expect.stringContaining('not a move DESIGN allows'),
      expect.stringContaining('the model has it cancelled'),
    ]);
  });

  it('objects to circulations and loans the answers did not make', () => {
    const m = model();
    m.seen = snapshot([]);
    expect(observe(m, { op: 'renew', barcode: 'I1' }, { status: 409, body: {} }, snapshot([], [item({ circulations: 1, loanPatron: 'PA', loanLibrary: 'A', due: '2025-03-26' })]))).toEqual([
      'I1 counts 1 circulations, the model 0',
      expect.stringContaining('I1 is on loan to PA'),
    ]);
  });

  it('objects to a hold still suspended after the sweep passed its date', () => {
    const m = withHold('waiting');
    learn(m, { op: 'suspend', hold: 1, until: '2025-03-05' }, { status: 200, body: {} });
    m.now = new Date('2025-03-06T15:00:00Z');
    const still = snapshot([hold({ status: 'suspended', suspendedUntil: '2025-03-05' })]);
    expect(observe(m, { op: 'jump', to: m.now }, { status: 200, body: {} }, still)).toEqual([expect.stringContaining('still suspended on 2025-03-06')]);
  });

  it('reckons due dates and shelf expiries past Sundays and closed dates', () => {
    // 21 days after Monday 3 March is Monday 24 March, closed with the 25th
    expect(expectedDueDate(now, 21, [{ from: '2025-03-24', to: '2025-03-25' }])).toBe('2025-03-26');
    // 6 days after Monday is Sunday 9 March: the library opens again on Monday
    expect(expectedShelfExpiry(now, 6, [])).toEqual({ date: '2025-03-10', time: '17:00' });
  });
});
