import { describe, expect, it } from 'vitest';
import { libraryTree } from '../library-tree';
import { decideScan, type ScanHold, type ScanItem, type ScanSnapshot } from './decide-scan';

// SCENARIOS.md fixture: A=1, B=2, C=3, D=4 (not lending), system S=5 with S1=6, S2=7.
const A = 1;
const B = 2;
const C = 3;
const tree = libraryTree([
  { id: 1, code: 'A', parentId: null, participatesInLending: true },
  { id: 2, code: 'B', parentId: null, participatesInLending: true },
  { id: 3, code: 'C', parentId: null, participatesInLending: true },
  { id: 4, code: 'D', parentId: null, participatesInLending: false },
]);

const item = (over: Partial<ScanItem> = {}): ScanItem => ({
  id: 31,
  barcode: '31000001',
  owningLibraryId: A,
  currentLibraryId: A,
  volumeId: 1,
  status: 'available',
  holdable: true,
  locationHoldable: true,
  circulates: true,
  catalogedAt: '2024-01-01',
  ageProtection: 'none',
  ...over,
});

const hold = (over: Partial<ScanHold> = {}): ScanHold => ({
  id: 1,
  type: 'title',
  volumeId: null,
  itemId: null,
  pickupLibraryId: A,
  patronHomeLibraryId: A,
  status: 'waiting',
  requestedAt: '2025-03-01T15:00:00.000Z',
  targetItemId: null,
  capturedItemId: null,
  refusedLibraryIds: [],
  notifyBy: ['email'],
  patronHasEmail: true,
  ...over,
});

const scan = (libraryId: number, over: Partial<ScanSnapshot> = {}) =>
  decideScan({ libraryId, item: item(), transit: null, loanId: null, holds: [], tree, todayAt: () => '2025-03-03', ...over });

describe('decideScan', () => {
  it('16. captures for another library: hold transit to the pickup library', () => {
    const d = scan(A, { holds: [hold({ id: 7, status: 'targeted', targetItemId: 31, pickupLibraryId: B, patronHomeLibraryId: B })] });
    expect(d).toMatchObject({ action: 'transit', destinationLibraryId: B, holdId: 7, changed: true });
    expect(d.effects).toMatchObject({ captureHoldId: 7, newTransit: { kind: 'hold', holdId: 7, toLibraryId: B }, itemStatus: 'in-transit' });
  });

  it('17. captures for its own patron: holds shelf here, email notice', () => {
    const d = scan(A, { holds: [hold({ status: 'targeted', targetItemId: 31 })] });
    expect(d).toMatchObject({ action: 'holds-shelf', holdId: 1, notice: 'email' });
    expect(d.effects).toMatchObject({ captureHoldId: 1, shelveHoldId: 1, itemStatus: 'on-holds-shelf', newTransit: null });
  });

  const inTransitToB = { item: item({ status: 'in-transit' as const }), transit: { id: 5, kind: 'hold' as const, holdId: 7, sourceLibraryId: A, destinationLibraryId: B } };
  const pb1 = hold({ id: 7, status: 'in-transit', capturedItemId: 31, pickupLibraryId: B, patronHomeLibraryId: B, notifyBy: ['phone'], patronHasEmail: false });

  it('18. received at the pickup library: holds shelf, a phone call for a patron without email', () => {
    const d = scan(B, { ...inTransitToB, holds: [pb1] });
    expect(d).toMatchObject({ action: 'holds-shelf', holdId: 7, notice: 'phone-call' });
    expect(d.effects).toMatchObject({ receiveTransitId: 5, shelveHoldId: 7, captureHoldId: null, itemStatus: 'on-holds-shelf', itemCurrentLibraryId: B });
  });

  it('19. scanned at the wrong library: send to B, nothing changes', () => {
    const d = scan(C, { ...inTransitToB, holds: [pb1] });
    expect(d).toMatchObject({ action: 'transit', destinationLibraryId: B, changed: false, notes: ['in-transit-elsewhere'] });
  });

  it('a re-scan at the sending desk answers as the first scan did', () => {
    const d = scan(A, { ...inTransitToB, holds: [pb1] });
    expect(d).toMatchObject({ action: 'transit', destinationLibraryId: B, holdId: 7, changed: false, notes: [] });
  });

  it('an item of A\'s holds shelf found at C goes back to A for its patron, captured again', () => {
    const d = scan(C, { item: item({ status: 'on-holds-shelf' }), holds: [hold({ status: 'on-holds-shelf', capturedItemId: 31 })] });
    expect(d).toMatchObject({ action: 'transit', destinationLibraryId: A, holdId: 1 });
    expect(d.effects).toMatchObject({ captureHoldId: 1, newTransit: { kind: 'hold', holdId: 1, toLibraryId: A }, itemStatus: 'in-transit', itemCurrentLibraryId: C });
  });

  it('21. a re-scan on the holds shelf changes nothing', () => {
    const d = scan(A, { item: item({ status: 'on-holds-shelf' }), holds: [hold({ status: 'on-holds-shelf', capturedItemId: 31 })] });
    expect(d).toMatchObject({ action: 'holds-shelf', holdId: 1, changed: false });
  });

  it('22. a return captures the waiting hold at once', () => {
    const d = scan(C, { item: item({ id: 33, owningLibraryId: C, currentLibraryId: B, status: 'checked-out' }), loanId: 9, holds: [hold({ id: 3, pickupLibraryId: C, patronHomeLibraryId: C })] });
    expect(d).toMatchObject({ action: 'holds-shelf', holdId: 3 });
    expect(d.effects).toMatchObject({ closeLoanId: 9, captureHoldId: 3, itemCurrentLibraryId: C });
  });

  it('23. the oldest eligible waiting hold wins; a hold targeting another item keeps it', () => {
    const returned = { item: item({ id: 33, owningLibraryId: C, currentLibraryId: C, status: 'checked-out' as const }), loanId: 9 };
    const pb = hold({ id: 2, pickupLibraryId: B, patronHomeLibraryId: B, requestedAt: '2025-02-01T15:00:00.000Z' });
    const pc = hold({ id: 3, pickupLibraryId: C, patronHomeLibraryId: C, requestedAt: '2025-03-01T15:00:00.000Z' });
    expect(scan(C, { ...returned, holds: [pc, pb] })).toMatchObject({ action: 'transit', destinationLibraryId: B, holdId: 2 });
    const pbTargeted = { ...pb, status: 'targeted' as const, targetItemId: 32 };
    expect(scan(C, { ...returned, holds: [pc, pbTargeted] })).toMatchObject({ action: 'holds-shelf', holdId: 3 });
  });

  it('27. a return with no hold goes home; 29. at the owning library it is shelved', () => {
    const onLoan = { item: item({ status: 'checked-out' as const, currentLibraryId: B }), loanId: 9 };
    const atB = scan(B, onLoan);
    expect(atB).toMatchObject({ action: 'transit', destinationLibraryId: A, holdId: null });
    expect(atB.effects.newTransit).toEqual({ kind: 'return', holdId: null, toLibraryId: A });
    const atA = scan(A, { ...onLoan, item: item({ status: 'checked-out' }) });
    expect(atA).toMatchObject({ action: 'shelve', changed: true });
    expect(atA.effects).toMatchObject({ closeLoanId: 9, itemStatus: 'available' });
  });

  it('27. the return transit is received at home: shelved', () => {
    const d = scan(A, { item: item({ status: 'in-transit', currentLibraryId: B }), transit: { id: 6, kind: 'return', holdId: null, sourceLibraryId: B, destinationLibraryId: A } });
    expect(d).toMatchObject({ action: 'shelve' });
    expect(d.effects).toMatchObject({ receiveTransitId: 6, itemStatus: 'available', itemCurrentLibraryId: A });
  });

  it('32/34. a hold cancelled while its item travelled releases it to the next hold, else home', () => {
    const cancelled = { ...inTransitToB, holds: [] };
    const home = scan(B, cancelled);
    expect(home).toMatchObject({ action: 'transit', destinationLibraryId: A, notes: ['received', 'hold-cancelled-in-transit'] });
    const next = scan(B, { ...inTransitToB, holds: [hold({ id: 8, pickupLibraryId: C, patronHomeLibraryId: C })] });
    expect(next).toMatchObject({ action: 'transit', destinationLibraryId: C, holdId: 8 });
  });

  it('a damaged item never fills a hold and goes home; a missing one is found', () => {
    const damaged = scan(B, { item: item({ status: 'damaged', currentLibraryId: B }), holds: [hold({ pickupLibraryId: B, patronHomeLibraryId: B })] });
    expect(damaged).toMatchObject({ action: 'transit', destinationLibraryId: A, holdId: null });
    const found = scan(A, { item: item({ status: 'missing' }) });
    expect(found).toMatchObject({ action: 'shelve', notes: ['found'] });
    expect(found.effects.markFound).toBe(true);
  });

  it('an available item on its own shelf with no hold: shelve, nothing changes', () => {
    expect(scan(A)).toMatchObject({ action: 'shelve', changed: false });
  });

  it('a protected item does not fill another library\'s patron\'s hold', () => {
    const d = scan(A, { item: item({ ageProtection: '3m', catalogedAt: '2025-02-01' }), holds: [hold({ pickupLibraryId: B, patronHomeLibraryId: B })] });
    expect(d).toMatchObject({ action: 'shelve', holdId: null });
  });
});
