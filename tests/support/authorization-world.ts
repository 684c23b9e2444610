import { createConsortiumFixture, type ConsortiumFixture } from './fixture';
import { matrixCallers, matrixPatron, type MatrixCaller, type MatrixPatron } from './authorization-callers';
import { insertStaff } from './direct-staff';
import type { ApiResponse, Caller, TestApp } from './test-app';

// The state the authorization matrix asks about, made through the API by the staff whose work
// it is, and the means to make fresh state for the cells that change it.

export interface MatrixWorld {
  /** the library concerned */
  lib: string;
  f: ConsortiumFixture;
  t: TestApp;
  owner: MatrixPatron;
  other: MatrixPatron;
  callers: MatrixCaller[];
  /** a record with one available copy at the library concerned, which nobody holds */
  recordId: number;
  item: string;
  /** the owner's waiting hold, with the other patron's hold on the same title ahead of it */
  ownerHoldId: number;
  /** the owner's loan of a copy of the library concerned */
  loanId: number;
  loanItem: string;
  /** a hold transit to B of a copy of the library concerned, for the owner (pickup B) */
  transitId: number;
  transitHoldId: number;
  transitItem: string;
  /** the owner's hold on the holds shelf of the library concerned */
  shelfHoldId: number;
  /** a message to the library concerned: a hold on its copy cancelled by B */
  messageId: number;
  location: string;
  /** a circulation account of the library concerned, for administrators to change */
  staffToChange: string;
  fresh: Fresh;
}

export interface Fresh {
  /** a new name for things: barcodes, codes, user names */
  name(prefix: string): string;
  record(): Promise<number>;
  /** a copy at `library` (of a new record when none is given) */
  item(library: string, recordId?: number): Promise<{ recordId: number; barcode: string }>;
  /** a title hold for the owner placed at the circulation desk of the library concerned */
  hold(recordId: number, extra?: Record<string, unknown>): Promise<Record<string, any>>;
  /** a copy of the library concerned lent to the owner there */
  loan(): Promise<{ itemBarcode: string; loanId: number }>;
  scan(library: string, itemBarcode: string): Promise<ApiResponse>;
  /** a circulation account of the library concerned, written straight into the database */
  staff(): Promise<string>;
}

function expectStatus(res: ApiResponse, status: number, what: string): ApiResponse {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

let names = 0;

function freshState(f: ConsortiumFixture, lib: string, owner: MatrixPatron): Fresh {
  const circ = (code: string): Promise<Caller> => f.staff(code, 'circ');
  const fresh: Fresh = {
    name: (prefix) => `${prefix}${++names}`,
    async record() {
      return expectStatus(await f.admin.post('/records', { title: fresh.name('Matrix title ') }), 201, 'record').body.id;
    },
    async item(library, recordId) {
      const record = recordId ?? (await fresh.record());
      const barcode = fresh.name(`${library}-copy-`);
      const res = await (await f.staff(library, 'cat')).post('/items', { recordId: record, libraryCode: library, callNumber: 'F MAT', barcode, catalogedAt: '2024-01-01' });
      expectStatus(res, 201, `item at ${library}`);
      return { recordId: record, barcode };
    },
    async hold(recordId, extra = {}) {
      const body = { patronBarcode: owner.barcode, type: 'title', recordId, pickupLibraryCode: lib, ...extra };
      return expectStatus(await (await circ(lib)).post('/holds', body), 201, 'hold').body;
    },
    async loan() {
      const { barcode } = await fresh.item(lib);
      const res = await (await circ(lib)).post('/circulation/checkout', { patronBarcode: owner.barcode, itemBarcode: barcode });
      return { itemBarcode: barcode, loanId: expectStatus(res, 201, 'checkout').body.loan.id };
    },
    async scan(library, itemBarcode) {
      return expectStatus(await (await circ(library)).post('/circulation/scan', { itemBarcode }), 200, `scan at ${library}`);
    },
    async staff() {
      const username = fresh.name('a-circ-');
      await insertStaff(f.t.connection.db, username, lib, 'circulation');
      return username;
    },
  };
  return fresh;
}

function slipId(scan: ApiResponse, kind: string): number {
  const slip = (scan.body.slips as { kind: string; url: string }[]).find((s) => s.kind === kind);
  if (!slip) throw new Error(`no ${kind} slip in ${scan.text.slice(0, 300)}`);
  return Number(slip.url.split('/').pop());
}

export async function createMatrixWorld(lib: string): Promise<MatrixWorld> {
  const f = await createConsortiumFixture();
  const { t, admin } = f;
  // every cell places holds for the owner; the per-patron limit is not what is tested here
  expectStatus(await admin.patch('/consortium', { maxOpenHoldsPerPatron: 10_000 }), 200, 'consortium');
  const owner = await matrixPatron(f, lib, '207-555-0142');
  const other = await matrixPatron(f, lib, '207-555-0143');
  const fresh = freshState(f, lib, owner);
  const circ = await f.staff(lib, 'circ');

  const { recordId, barcode: item } = await fresh.item(lib);

  const queued = await fresh.record();
  expectStatus(await circ.post('/holds', { patronBarcode: other.barcode, type: 'title', recordId: queued, pickupLibraryCode: lib }), 201, 'other patron hold');
  const ownerHoldId = (await fresh.hold(queued)).id;

  const { itemBarcode: loanItem, loanId } = await fresh.loan();

  const travelling = await fresh.item(lib);
  const transitHoldId = (await fresh.hold(travelling.recordId, { pickupLibraryCode: 'B' })).id;
  const transitId = slipId(await fresh.scan(lib, travelling.barcode), 'transit');

  const shelved = await fresh.item(lib);
  const shelfHoldId = (await fresh.hold(shelved.recordId)).id;
  await fresh.scan(lib, shelved.barcode);

  // a B patron's hold on the library's only copy, cancelled at B: the library hears of it
  const lent = await fresh.item(lib);
  const bCirc = await f.staff('B', 'circ');
  const bHold = expectStatus(await bCirc.post('/holds', { patronBarcode: '22000001', type: 'title', recordId: lent.recordId, pickupLibraryCode: 'B' }), 201, 'B hold').body;
  expectStatus(await bCirc.post(`/holds/${bHold.id}/cancel`, { reason: 'patron-request' }), 200, 'B cancel');
  const messages = expectStatus(await circ.get(`/libraries/${lib}/messages`), 200, 'messages').body as { id: number; hold: { id: number } | null }[];
  const message = messages.find((m) => m.hold?.id === bHold.id);
  if (!message) throw new Error(`${lib} got no message of the cancelled hold`);

  const location = 'Matrix shelf';
  expectStatus(await (await f.staff(lib, 'cat')).post(`/libraries/${lib}/locations`, { name: location }), 201, 'location');
  const staffToChange = await fresh.staff();

  const callers = await matrixCallers(f, lib, owner, other);
  return { lib, f, t, owner, other, callers, recordId, item, ownerHoldId, loanId, loanItem, transitId, transitHoldId, transitItem: travelling.barcode, shelfHoldId, messageId: message.id, location, staffToChange, fresh };
}
