import { marcFile, testRecord } from '../catalog/sample-catalogs';
import type { MatrixCaller } from './authorization-callers';
import type { MatrixWorld } from './authorization-world';
import type { Caller } from './test-app';

// The request half of the authorization matrix: for each row of the expected table, a request
// that is valid for the operation (real ids, state in which the action is possible), so that a
// refusal can only come from who asks. Cells that change state get state of their own.

export interface CellRequest {
  method: 'GET' | 'POST' | 'PATCH';
  /** under /api/v1 */
  path: string;
  body?: unknown;
  contentType?: string;
  /** another session of the caller's account, for a cell that ends its session */
  as?: Caller;
}

export type RequestFor = (w: MatrixWorld, c: MatrixCaller) => Promise<CellRequest>;

const get = (path: string): CellRequest => ({ method: 'GET', path });
const post = (path: string, body?: unknown): CellRequest => ({ method: 'POST', path, body });
const patch = (path: string, body: unknown): CellRequest => ({ method: 'PATCH', path, body });
const year = 'from=2025-01-01&to=2025-12-31';

/** A fresh copy of the library concerned, targeted by a fresh hold of the owner: on its pull list. */
async function targetedHold(w: MatrixWorld): Promise<number> {
  const { recordId } = await w.fresh.item(w.lib);
  const hold = await w.fresh.hold(recordId);
  if (hold.status !== 'targeted') throw new Error(`the hold is ${hold.status}, not targeted`);
  return hold.id;
}

/** A phone call to make at the library concerned: the owner's hold ready on its shelf, notice by phone. */
async function phoneCall(w: MatrixWorld): Promise<number> {
  const { recordId, barcode } = await w.fresh.item(w.lib);
  const hold = await w.fresh.hold(recordId, { notifyBy: ['phone'] });
  await w.fresh.scan(w.lib, barcode);
  const calls = (await (await w.f.staff(w.lib, 'circ')).get(`/libraries/${w.lib}/phone-calls?limit=1000`)).body as { id: number; hold: { id: number } | null }[];
  const call = calls.find((c) => c.hold?.id === hold.id);
  if (!call) throw new Error(`no phone call for hold ${hold.id}`);
  return call.id;
}

export const requests: Record<string, RequestFor> = {
  'GET /health': async () => get('/health'),
  'POST /auth/login': async (w) => post('/auth/login', { username: w.other.barcode, password: w.other.password }),
  'POST /auth/logout': async (_w, c) => ({ ...post('/auth/logout'), as: await c.signInAgain() }),
  'POST /auth/logout-everywhere': async () => post('/auth/logout-everywhere'),
  'GET /auth/me': async () => get('/auth/me'),
  'GET /consortium': async () => get('/consortium'),
  'PATCH /consortium': async () => patch('/consortium', { maxOpenHoldsPerPatron: 10_000 }),
  'GET /libraries': async () => get('/libraries'),
  'POST /libraries': async (w) => post('/libraries', { code: w.fresh.name('M'), name: 'Matrix Library' }),
  'GET /libraries/{code}': async (w) => get(`/libraries/${w.lib}`),
  'PATCH /libraries/{code}': async (w) => patch(`/libraries/${w.lib}`, { holdShelfDays: 7 }),
  'PATCH /libraries/{code}#lending': async (w) => patch(`/libraries/${w.lib}`, { participatesInLending: true }),
  'GET /libraries/{code}/locations': async (w) => get(`/libraries/${w.lib}/locations`),
  'POST /libraries/{code}/locations': async (w) => post(`/libraries/${w.lib}/locations`, { name: w.fresh.name('Shelf ') }),
  'PATCH /libraries/{code}/locations/{name}': async (w) => patch(`/libraries/${w.lib}/locations/${encodeURIComponent(w.location)}`, { holdable: true }),
  'POST /staff': async (w) => post('/staff', { username: w.fresh.name('new-'), password: 'a long matrix password', libraryCode: w.lib, role: 'circulation' }),
  'POST /staff#office': async (w) => post('/staff', { username: w.fresh.name('office-'), password: 'a long matrix password', libraryCode: w.lib, role: 'consortium-admin' }),
  'GET /staff': async (w) => get(`/staff?library=${w.lib}`),
  'PATCH /staff/{username}': async (w) => patch(`/staff/${w.staffToChange}`, { active: true }),
  'PATCH /staff/{username}#office': async (w) => patch(`/staff/${await w.fresh.staff()}`, { role: 'consortium-admin' }),
  'PATCH /staff/{username}#move': async (w) => patch(`/staff/${await w.fresh.staff()}`, { libraryCode: 'B' }),
  'POST /patrons': async (w) => post('/patrons', { barcode: w.fresh.name('77'), firstName: 'New', lastName: 'Reader', homeLibraryCode: w.lib }),
  'GET /patrons': async (w) => get(`/patrons?q=${w.owner.barcode}`),
  'GET /patrons/{barcode}': async (w) => get(`/patrons/${w.owner.barcode}`),
  'PATCH /patrons/{barcode}': async (w) => patch(`/patrons/${w.owner.barcode}`, { phone: w.owner.phone }),
  'PATCH /patrons/{barcode}#block': async (w) => patch(`/patrons/${w.owner.barcode}`, { blocked: false }),
  'PATCH /patrons/{barcode}#home': async (w) => patch(`/patrons/${w.owner.barcode}`, { homeLibraryCode: w.lib }),
  'POST /records': async (w) => post('/records', { title: w.fresh.name('Matrix record ') }),
  'POST /records/import': async (w) => ({
    ...post(`/records/import?library=${w.lib}`, marcFile(testRecord({ id: w.fresh.name('mx'), source: 'TEST', title: 'Imported in the matrix' }))),
    contentType: 'application/marc',
  }),
  'GET /records': async () => get('/records?q=Matrix'),
  'GET /records/{id}': async (w) => get(`/records/${w.recordId}`),
  'POST /items': async (w) => post('/items', { recordId: w.recordId, libraryCode: w.lib, callNumber: 'F MAT', barcode: w.fresh.name(`${w.lib}-new-`) }),
  'GET /items/{barcode}': async (w) => get(`/items/${w.item}`),
  'PATCH /items/{barcode}': async (w) => patch(`/items/${w.item}`, { holdable: true }),
  'POST /holds': async (w) => post('/holds', { patronBarcode: w.owner.barcode, type: 'title', recordId: await w.fresh.record(), pickupLibraryCode: w.lib }),
  'POST /holds#copy': async (w) => {
    const { barcode } = await w.fresh.item(w.lib);
    return post('/holds', { patronBarcode: w.owner.barcode, type: 'copy', itemBarcode: barcode, pickupLibraryCode: w.lib });
  },
  'GET /holds': async (w) => get(`/holds?patron=${w.owner.barcode}`),
  'GET /holds/{id}': async (w) => get(`/holds/${w.ownerHoldId}`),
  'PATCH /holds/{id}': async (w) => patch(`/holds/${w.ownerHoldId}`, { notifyBy: ['email'] }),
  'POST /holds/{id}/redirect': async (w) => post(`/holds/${await targetedHold(w)}/redirect`, { note: 'not ours to lend today' }),
  'POST /holds/{id}/cancel': async (w) => post(`/holds/${(await w.fresh.hold(await w.fresh.record())).id}/cancel`, { reason: 'patron-request' }),
  'POST /holds/{id}/not-on-shelf': async (w) => post(`/holds/${await targetedHold(w)}/not-on-shelf`),
  'GET /libraries/{code}/pull-list': async (w) => get(`/libraries/${w.lib}/pull-list`),
  'POST /circulation/scan': async (w) => post('/circulation/scan', { itemBarcode: w.item, libraryCode: w.lib }),
  'POST /circulation/checkout': async (w) => post('/circulation/checkout', { patronBarcode: w.owner.barcode, itemBarcode: (await w.fresh.item(w.lib)).barcode, libraryCode: w.lib }),
  'POST /circulation/renew': async (w) => post('/circulation/renew', { itemBarcode: (await w.fresh.loan()).itemBarcode }),
  'GET /libraries/{code}/messages': async (w) => get(`/libraries/${w.lib}/messages`),
  'POST /libraries/{code}/messages/{id}/read': async (w) => post(`/libraries/${w.lib}/messages/${w.messageId}/read`),
  'GET /notices': async (w) => get(`/notices?patron=${w.owner.barcode}`),
  'GET /libraries/{code}/phone-calls': async (w) => get(`/libraries/${w.lib}/phone-calls`),
  'POST /phone-calls/{id}/done': async (w) => post(`/phone-calls/${await phoneCall(w)}/done`, { outcome: 'reached' }),
  'GET /slips/transit/{id}': async (w) => get(`/slips/transit/${w.transitId}`),
  'GET /slips/hold-shelf/{id}': async (w) => get(`/slips/hold-shelf/${w.shelfHoldId}`),
  'GET /slips/due-date/{id}': async (w) => get(`/slips/due-date/${w.loanId}`),
  'POST /items/{barcode}/cancel-transit': async (w) => {
    // B's copy checked in at the library concerned goes home: a transit from it to B
    const { barcode } = await w.fresh.item('B');
    await w.fresh.scan(w.lib, barcode);
    return post(`/items/${barcode}/cancel-transit`, { note: 'kept for a display' });
  },
  'GET /libraries/{code}/transits': async (w) => get(`/libraries/${w.lib}/transits`),
  'GET /libraries/{code}/holds-shelf': async (w) => get(`/libraries/${w.lib}/holds-shelf`),
  'POST /libraries/{code}/holds-shelf/clear': async (w) => post(`/libraries/${w.lib}/holds-shelf/clear`),
  'GET /libraries/{code}/lent-out': async (w) => get(`/libraries/${w.lib}/lent-out`),
  'GET /libraries/{code}/received': async (w) => get(`/libraries/${w.lib}/received`),
  'GET /libraries/{code}/problems': async (w) => get(`/libraries/${w.lib}/problems`),
  'GET /reports/holds': async (w) => get(`/reports/holds?library=${w.lib}&${year}`),
  'GET /reports/lending-balance': async () => get(`/reports/lending-balance?${year}`),
  'POST /admin/jobs/{name}/run': async () => post('/admin/jobs/shelf-expiry/run'),
  'POST /admin/clock': async (w) => post('/admin/clock', { now: w.t.clock.now().toISOString() }),
};
