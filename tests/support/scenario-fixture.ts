import { expect, onTestFinished } from 'vitest';
import type { Delivery } from '../../src/services/notices/send-notices';
import { createConsortiumFixture, fixturePatronPassword, fixturePatrons, type ConsortiumFixture } from './fixture';
import type { ApiResponse, Caller } from './test-app';

// The whole SCENARIOS.md "Fixture" on a fresh API: the consortium fixture (libraries, staff,
// patrons) plus record T1 "The Maine Woods" with one available copy at each lending library and
// at D, cataloged 2024-01-01, each added by its own library's cataloger through POST /items.
// Every library keeps the default opening hours (Mon–Sat 09:00–17:00, America/New_York).

/** Monday 2025-03-03 10:00 in Maine (EST, UTC−5). */
export const scenarioNow = new Date('2025-03-03T15:00:00Z');

export const t1Title = 'The Maine Woods';
/** T1's copies by owning library. */
export const t1Items = { A: '31000001', B: '32000001', C: '33000001', D: '34000001', S1: '35000001', S2: '36000001' } as const;
export type T1Library = keyof typeof t1Items;
export const callNumber = 'F THO';

export type FixturePatronKey = keyof typeof fixturePatrons;
export const patronBarcode = (key: FixturePatronKey): string => fixturePatrons[key].barcode;

export interface ScenarioFixture extends ConsortiumFixture {
  /** T1's record id. */
  t1: number;
  /** A fixture patron signed in with card barcode and password. */
  patron(key: FixturePatronKey): Promise<Caller>;
  /** POST /records as the consortium admin; answers the record id. */
  createRecord(title: string): Promise<number>;
  /** POST /items as the owning library's cataloger; throws unless 201. */
  addItem(libraryCode: string, recordId: number, barcode: string, extra?: Record<string, unknown>): Promise<Record<string, any>>;
  /** GET /holds/:id as the consortium admin; throws unless 200. */
  hold(id: number): Promise<Record<string, any>>;
  /** POST /admin/clock as the consortium admin. */
  setClock(iso: string): Promise<void>;
  /** POST /admin/jobs/targeting/run as the consortium admin: the targeting sweep. */
  runTargeting(): Promise<ApiResponse>;
  /** Lends a copy straight in the database: see lendItemDirectly. */
  lend(barcode: string, options?: LendOptions): Promise<void>;
  /** Ends a direct loan straight in the database: see returnItemDirectly. */
  giveBack(barcode: string): Promise<void>;
  /** Closes a hold straight in the database: see cancelHoldDirectly. */
  cancelHold(id: number): Promise<void>;
}

export interface LendOptions {
  /** The borrower; PC1 unless given. */
  patronBarcode?: string;
  /** The library whose desk lent it; the owning library unless given. */
  libraryCode?: string;
  /** When it was checked out; the test clock's now unless given. */
  checkedOutAt?: Date;
}

export interface ScenarioOptions {
  now?: Date;
  random?: () => number;
  /** How notices go out: SMTP to a test peer, or the in-app mailbox when absent. */
  delivery?: Delivery;
}

/** Builds the fixture and closes it when the current test finishes. */
export async function scenarioFixture(options: ScenarioOptions = {}): Promise<ScenarioFixture> {
  const fixture = await createScenarioFixture(options);
  onTestFinished(() => fixture.t.close());
  return fixture;
}

export async function createScenarioFixture(options: ScenarioOptions = {}): Promise<ScenarioFixture> {
  const base = await createConsortiumFixture(options.now ?? scenarioNow, { random: options.random, delivery: options.delivery });
  const { t, admin } = base;
  const patrons = new Map<string, Caller>();

  const createRecord = async (title: string): Promise<number> => {
    const res = await admin.post('/records', { title, author: 'Thoreau, Henry David' });
    if (res.status !== 201) throw new Error(`could not create record ${title}: ${res.status} ${res.text}`);
    return res.body.id;
  };
  const addItem = async (libraryCode: string, recordId: number, barcode: string, extra: Record<string, unknown> = {}) => {
    const cataloger = await base.staff(libraryCode, 'cat');
    const res = await cataloger.post('/items', { recordId, libraryCode, callNumber, barcode, catalogedAt: '2024-01-01', ...extra });
    if (res.status !== 201) throw new Error(`could not add item ${barcode} at ${libraryCode}: ${res.status} ${res.text}`);
    return res.body;
  };

  const t1 = await createRecord(t1Title);
  for (const [libraryCode, barcode] of Object.entries(t1Items)) await addItem(libraryCode, t1, barcode);

  return {
    ...base,
    t1,
    async patron(key) {
      if (!patrons.has(key)) patrons.set(key, await t.login(fixturePatrons[key].barcode, fixturePatronPassword));
      return patrons.get(key)!;
    },
    createRecord,
    addItem,
    async hold(id) {
      const res = await admin.get(`/holds/${id}`);
      if (res.status !== 200) throw new Error(`GET /holds/${id}: ${res.status} ${res.text}`);
      return res.body;
    },
    async setClock(iso) {
      const res = await admin.post('/admin/clock', { now: iso });
      if (res.status !== 200) throw new Error(`POST /admin/clock: ${res.status} ${res.text}`);
    },
    async runTargeting() {
      const res = await admin.post('/admin/jobs/targeting/run');
      if (res.status !== 200) throw new Error(`POST /admin/jobs/targeting/run: ${res.status} ${res.text}`);
      return res;
    },
    lend: (barcode, lendOptions) => lendItemDirectly(base, barcode, lendOptions),
    giveBack: (barcode) => returnItemDirectly(base, barcode),
    cancelHold: (id) => cancelHoldDirectly(base, id),
  };
}

/**
 * Puts a copy on loan by writing the database directly: one open loan row and the item's status
 * `checked-out`. It stands in for POST /circulation/checkout until that endpoint exists; it
 * triggers nothing (no targeting, no events), which is all the hold scenarios need of "out".
 */
export async function lendItemDirectly(fixture: ConsortiumFixture, barcode: string, options: LendOptions = {}): Promise<void> {
  const db = fixture.t.connection.db;
  const item = await db.selectFrom('items').select(['id', 'owning_library_id']).where('barcode', '=', barcode).executeTakeFirstOrThrow();
  const patron = await db
    .selectFrom('patrons')
    .select('id')
    .where('barcode', '=', options.patronBarcode ?? fixturePatrons.PC1.barcode)
    .executeTakeFirstOrThrow();
  const libraryId = options.libraryCode
    ? (await db.selectFrom('libraries').select('id').where('code', '=', options.libraryCode).executeTakeFirstOrThrow()).id
    : item.owning_library_id;
  const checkedOutAt = options.checkedOutAt ?? fixture.t.clock.now();
  const due = new Date(checkedOutAt.getTime() + 21 * 86_400_000).toISOString().slice(0, 10);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('loans').values({ item_id: item.id, patron_id: patron.id, library_id: libraryId, checked_out_at: checkedOutAt, due_date: due }).execute();
    await trx.updateTable('items').set({ status: 'checked-out' }).where('id', '=', item.id).execute();
  });
}

/**
 * Ends a loan made by lendItemDirectly, again in the database only: the copy is back on its shelf
 * (`available`) without the scan that would normally bring it back, so nothing is targeted by it.
 * Tests use it to make a copy free again *after* a hold was placed elsewhere.
 */
export async function returnItemDirectly(fixture: ConsortiumFixture, barcode: string): Promise<void> {
  const db = fixture.t.connection.db;
  const now = fixture.t.clock.now();
  const item = await db.selectFrom('items').select(['id', 'owning_library_id']).where('barcode', '=', barcode).executeTakeFirstOrThrow();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('loans').set({ returned_at: now, returned_library_id: item.owning_library_id }).where('item_id', '=', item.id).where('returned_at', 'is', null).execute();
    await trx.updateTable('items').set({ status: 'available', current_library_id: item.owning_library_id }).where('id', '=', item.id).execute();
  });
}

/**
 * Closes a hold in the database (status `cancelled`, reason `other`, target released), so that
 * the same patron can place a fresh hold on the same title. It stands in for
 * POST /holds/:id/cancel in loops that need many fresh holds quickly.
 */
export async function cancelHoldDirectly(fixture: ConsortiumFixture, holdId: number): Promise<void> {
  await fixture.t.connection.db
    .updateTable('holds')
    .set({ status: 'cancelled', cancel_reason: 'other', cancelled_at: fixture.t.clock.now(), target_item_id: null })
    .where('id', '=', holdId)
    .execute();
}

/** The barcode a hold targets, or null. */
export function targetOf(hold: { target?: { barcode: string } | null }): string | null {
  return hold.target?.barcode ?? null;
}

/** An explanation's candidate for one barcode. */
export function candidate(hold: Record<string, any>, barcode: string): Record<string, any> | undefined {
  return (hold.explanation?.candidates ?? []).find((c: { barcode: string }) => c.barcode === barcode);
}

/** POST /holds, expecting 201: the new hold as answered (already targeted where a copy is free). */
export async function placeHold(caller: Caller, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await caller.post('/holds', body);
  expect(res.status, `POST /holds ${JSON.stringify(body)} answered ${res.status}: ${res.text}`).toBe(201);
  return res.body;
}

/** The item barcodes on a library's pull list, read by that library's circulation staff. */
export async function pullListBarcodes(fixture: ConsortiumFixture, libraryCode: string): Promise<string[]> {
  const res = await (await fixture.staff(libraryCode, 'circ')).get(`/libraries/${libraryCode}/pull-list`);
  expect(res.status, `GET /libraries/${libraryCode}/pull-list: ${res.text}`).toBe(200);
  return (res.body as { item: { barcode: string } }[]).map((row) => row.item.barcode);
}
