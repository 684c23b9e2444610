import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/domain/seeded-random';
import { createConsortiumFixture, fixturePatronPassword, type ConsortiumFixture } from '../support/fixture';
import type { Caller } from '../support/test-app';

// The slip urls of the scan answer: a hold transit A→B for PB1 (Betty Bishop), its arrival on
// B's holds shelf, a return transit, and a patron whose name is markup.
let f: ConsortiumFixture;
let recordId: number;
let transitUrl: string;
let shelfUrl: string;
let returnUrl: string;

interface SlipResponse {
  status: number;
  headers: Record<string, unknown>;
  text: string;
  /** the bytes as sent: a PDF is not text */
  raw: Buffer;
  body: any;
}

/** GET a slip url as `who`, keeping the raw bytes (the shared caller decodes bodies as text). */
async function get(who: Caller, url: string): Promise<SlipResponse> {
  const res = await f.t.app.inject({ method: 'GET', url, headers: who.cookie ? { cookie: who.cookie } : {} });
  const json = String(res.headers['content-type'] ?? '').includes('json');
  return { status: res.statusCode, headers: res.headers, text: res.body, raw: res.rawPayload, body: json ? JSON.parse(res.body) : undefined };
}

beforeAll(async () => {
  const random = seededRandom(5);
  f = await createConsortiumFixture(undefined, { random: () => random.next() });
  recordId = (await f.admin.post('/records', { title: 'The Maine Woods' })).body.id;
  for (const [code, barcode] of [['A', '31000001'], ['B', '32000001']]) {
    const res = await (await f.staff(code, 'cat')).post('/items', { recordId, libraryCode: code, callNumber: '917.41 THO', barcode, catalogedAt: '2024-01-01' });
    expect(res.status).toBe(201);
  }
  // B's own copy is missing, so PB1's hold (pickup B) can only target A's copy
  expect((await (await f.staff('B', 'cat')).patch('/items/32000001', { status: 'missing' })).status).toBe(200);
  const hold = await (await f.staff('B', 'circ')).post('/holds', { patronBarcode: '22000001', type: 'title', recordId, pickupLibraryCode: 'B' });
  expect(hold.body.target.barcode).toBe('31000001');

  const atA = await (await f.staff('A', 'circ')).post('/circulation/scan', { itemBarcode: '31000001' });
  expect(atA.body).toMatchObject({ action: 'transit', slips: [{ kind: 'transit', copies: 2 }] });
  transitUrl = atA.body.slips[0].url;
  // the missing copy turns up at A: found, and sent home to B with a return slip
  const found = await (await f.staff('A', 'circ')).post('/circulation/scan', { itemBarcode: '32000001' });
  expect(found.body).toMatchObject({ action: 'transit', slips: [{ kind: 'transit', copies: 0 }] });
  returnUrl = found.body.slips[0].url;
  const atB = await (await f.staff('B', 'circ')).post('/circulation/scan', { itemBarcode: '31000001' });
  expect(atB.body).toMatchObject({ action: 'holds-shelf', slips: [{ kind: 'hold-shelf', copies: 1 }] });
  shelfUrl = atB.body.slips[0].url;
});
afterAll(() => f.t.close());

describe('GET /slips/transit/:id', () => {
  it('prints the destination large, the item, the patron and the pickup library, in two copies', async () => {
    const res = await get(await f.staff('B', 'circ'), transitUrl);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.text;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('@media print');
    expect(html).toMatch(/<h1 class="headline">.*<span class="name">Bangor Library<\/span><span class="code">B<\/span><\/h1>/);
    expect(html).toMatch(/\.headline \.name \{[^}]*font-size: 22pt/);
    for (const text of ['The Maine Woods', '917.41 THO', 'BISHOP, Betty', '22000001', 'Abbot Library (A)', 'Bangor Library (B)', '31000001']) expect(html).toContain(text);
    // sent 2025-03-03 15:00 UTC: A's desk (New York) says 10 AM
    expect(html).toContain('Mon, Mar 3, 2025, 10:00 AM EST');
    expect(html).toMatch(/<div class="barcode"><svg [^>]*viewBox="0 0 143 40"/);
    expect(html.match(/<section class="slip">/g)).toHaveLength(2);
    expect(html).toContain('Copy 2 of 2');
  });

  it('serves the same slip as a PDF with DejaVu, not Helvetica, one page a copy', async () => {
    const res = await get(await f.staff('A', 'circ'), `${transitUrl}?format=pdf`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.raw.toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(res.raw.length).toBeGreaterThan(1024);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold/);
    expect(pdf).not.toContain('Helvetica');
    expect(pdf).toContain('/Count 2');
  });

  it('prints a return transit without a patron section', async () => {
    const res = await get(await f.staff('A', 'cat'), returnUrl);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<span class="name">Bangor Library</span>');
    expect(res.text).toContain('Returning home to Bangor Library');
    expect(res.text).not.toContain('Hold for');
    expect(res.text.match(/<section class="slip">/g)).toHaveLength(1);
  });
});

describe('GET /slips/hold-shelf/:id', () => {
  it('prints the patron last name first, the card ending and the pickup-by date at the pickup library', async () => {
    const res = await get(await f.staff('B', 'circ'), shelfUrl);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<span class="name">BISHOP, Betty</span>');
    expect(res.text).toContain('…0001');
    expect(res.text).not.toContain('22000001');
    // shelved 2025-03-03 at B: 7 shelf days, expiring on B's calendar on Monday the 10th
    expect(res.text).toMatch(/Pickup by<\/dt><dd>Mon, Mar 10, 2025</);
    expect(res.text).toContain('The Maine Woods');
    expect(res.text).toContain('<svg');
    const pdf = await get(await f.staff('B', 'circ'), `${shelfUrl}?format=pdf`);
    expect(pdf.raw.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.raw.toString('latin1')).toContain('/Count 1');
  });

  it('escapes names: a patron named with markup prints as text, in HTML and without Helvetica in PDF', async () => {
    const desk = await f.staff('A', 'circ');
    const patron = { barcode: '21000099', firstName: 'مريم', lastName: '<script>x</script>', homeLibraryCode: 'A' };
    expect((await desk.post('/patrons', patron)).status).toBe(201);
    const other = (await f.admin.post('/records', { title: 'Walden & <b>Civil</b> "Disobedience"' })).body.id;
    expect((await (await f.staff('A', 'cat')).post('/items', { recordId: other, libraryCode: 'A', callNumber: '818 THO', barcode: '31000002', catalogedAt: '2024-01-01' })).status).toBe(201);
    expect((await desk.post('/holds', { patronBarcode: '21000099', type: 'title', recordId: other, pickupLibraryCode: 'A' })).status).toBe(201);
    const scan = await desk.post('/circulation/scan', { itemBarcode: '31000002' });
    expect(scan.body.action).toBe('holds-shelf');
    const html = (await get(desk, scan.body.slips[0].url)).text;
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;SCRIPT&#62;X&#60;/SCRIPT&#62;, مريم');
    expect(html).toContain('Walden &#38; &#60;b&#62;Civil&#60;/b&#62; &#34;Disobedience&#34;');
    const pdf = (await get(desk, `${scan.body.slips[0].url}?format=pdf`)).raw.toString('latin1');
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    expect(pdf).not.toContain('Helvetica');
  });

  it('refuses a hold that is not on a holds shelf yet', async () => {
    const desk = await f.staff('C', 'circ');
    const waiting = await desk.post('/holds', { patronBarcode: '23000001', type: 'title', recordId, pickupLibraryCode: 'C' });
    expect(waiting.status).toBe(201);
    const res = await get(desk, `/api/v1/slips/hold-shelf/${waiting.body.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INVALID_STATE');
  });
});

describe('who may print slips', () => {
  it('is staff of any library; patrons are refused, anonymous callers asked to sign in', async () => {
    expect((await get(await f.staff('C', 'circ'), transitUrl)).status).toBe(200);
    expect((await get(f.admin, shelfUrl)).status).toBe(200);
    expect((await get(f.t.anonymous, transitUrl)).status).toBe(401);
    expect((await get(f.t.anonymous, `${shelfUrl}?format=pdf`)).status).toBe(401);
    const patron = await f.t.login('22000001', fixturePatronPassword);
    const res = await get(patron, shelfUrl);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('answers 404 for unknown slips and 400 for bad ids or formats', async () => {
    const desk = await f.staff('A', 'circ');
    expect((await get(desk, '/api/v1/slips/transit/999999')).body.error.code).toBe('NOT_FOUND');
    expect((await get(desk, '/api/v1/slips/hold-shelf/999999')).status).toBe(404);
    for (const url of ['/api/v1/slips/transit/abc', '/api/v1/slips/hold-shelf/0', '/api/v1/slips/transit/99999999999', `${transitUrl}?format=docx`]) {
      const res = await get(desk, url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
  });
});
