import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsortiumFixture, type ConsortiumFixture } from '../support/fixture';

// Names, titles, call numbers and barcodes are anyone's input. Every HTML page the server makes
// (slips; the web app's page under any address) must show them as text, never as markup, and be
// sent with a Content-Security-Policy that would stop an injected script anyway.

const script = '<script>alert(1)</script>';
const img = '"><img src=x onerror=alert(1)>';
const amp = '&amp;';
const bold = '<b>F</b>';

const title = `${script} ${amp} Walden`;
const author = img;
const callNumber = `${bold} ${amp} THO`;
const itemBarcode = '"><svg/onload=alert(1)>';
const patron = { barcode: '25000001', firstName: img, lastName: script };
const lendingName = `${script} Library`;
const pickupName = `${img} ${amp} Co`;

let f: ConsortiumFixture;
const slipUrls: Record<string, string> = {};

/** The forms an escaped text may take: named or numeric character references. */
function escapedForms(text: string): string[] {
  const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return [text.replace(/[&<>"']/g, (c) => named[c]), text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`), text.replace(/[&<>"']/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`)];
}

function expectEscaped(html: string, text: string, where: string): void {
  expect(escapedForms(text).some((form) => html.includes(form)), `${where}: "${text}" escaped`).toBe(true);
}

/** None of the typed markup is markup in the page, in any letter case (holds shelves print names in capitals). */
function expectNoInjectedMarkup(html: string, where: string): void {
  for (const raw of [/<script/i, /<img/i, /<svg\/onload/i, /<b>/i]) expect(html, `${where} holds ${raw}`).not.toMatch(raw);
  // the text "&amp;" typed by someone must not reach the page as the entity for "&"
  expect(html, `${where} holds the typed &amp; unescaped`).not.toContain('&amp; ');
}

function expectSecurityHeaders(headers: Record<string, unknown>, where: string): void {
  const csp = String(headers['content-security-policy'] ?? '');
  expect(csp, `${where}: Content-Security-Policy`).toMatch(/default-src 'self'/);
  expect(csp, where).toMatch(/script-src 'self'(;|$)/);
  expect(csp, where).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(headers['x-content-type-options'], where).toBe('nosniff');
}

beforeAll(async () => {
  f = await createConsortiumFixture();
  expect((await f.admin.patch('/libraries/A', { name: lendingName })).status).toBe(200);
  expect((await f.admin.patch('/libraries/B', { name: pickupName })).status).toBe(200);
  const record = await f.admin.post('/records', { title, author });
  expect(record.status, record.text).toBe(201);
  const item = await (await f.staff('A', 'cat')).post('/items', { recordId: record.body.id, libraryCode: 'A', callNumber, barcode: itemBarcode, catalogedAt: '2024-01-01' });
  expect(item.status, item.text).toBe(201);
  const made = await (await f.staff('B', 'circ')).post('/patrons', { ...patron, homeLibraryCode: 'B', email: 'html@example.org' });
  expect(made.status, made.text).toBe(201);
  const hold = await (await f.staff('B', 'circ')).post('/holds', { patronBarcode: patron.barcode, type: 'title', recordId: record.body.id, pickupLibraryCode: 'B' });
  expect(hold.status, hold.text).toBe(201);

  const atA = await (await f.staff('A', 'circ')).post('/circulation/scan', { itemBarcode });
  expect(atA.body.action, atA.text).toBe('transit');
  slipUrls.transit = atA.body.slips[0].url;
  const atB = await (await f.staff('B', 'circ')).post('/circulation/scan', { itemBarcode });
  expect(atB.body.action, atB.text).toBe('holds-shelf');
  slipUrls['hold-shelf'] = atB.body.slips[0].url;
  const loan = await (await f.staff('B', 'circ')).post('/circulation/checkout', { patronBarcode: patron.barcode, itemBarcode });
  expect(loan.status, loan.text).toBe(201);
  slipUrls['due-date'] = loan.body.slips[0].url;
});
afterAll(() => f?.t.close());

describe('slips show names, titles and barcodes as text', () => {
  it.each([
    ['transit', [title, callNumber, lendingName, pickupName, itemBarcode, patron.firstName]],
    ['hold-shelf', [title, pickupName, itemBarcode, patron.firstName]],
    ['due-date', [title, itemBarcode]],
  ])('%s slip', async (kind, texts) => {
    const res = await (await f.staff('B', 'circ')).request({ method: 'GET', url: slipUrls[kind] });
    expect(res.status, res.text).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
    expectNoInjectedMarkup(res.text, `${kind} slip`);
    for (const text of texts as string[]) expectEscaped(res.text, text, `${kind} slip`);
    expectSecurityHeaders(res.headers, `${kind} slip`);
  });

  it('prints the patron name in capitals on the shelf slip, still escaped', async () => {
    const res = await (await f.staff('B', 'circ')).request({ method: 'GET', url: slipUrls['hold-shelf'] });
    expectEscaped(res.text, script.toLocaleUpperCase('en-US'), 'hold-shelf slip');
  });
});

describe("the web app's page under any address", () => {
  it.each(['/', `/catalog?q=${encodeURIComponent(script)}`, `/records/${encodeURIComponent(img)}`, `/${encodeURIComponent(script)}`])(
    'GET %s answers the app without the address in it, with a CSP',
    async (url) => {
      const res = await f.t.anonymous.request({ method: 'GET', url });
      expect([200, 503], res.text.slice(0, 300)).toContain(res.status);
      expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
      // the page is the same for every address: nothing of the address reaches it
      expect(res.text).not.toContain('alert(1)');
      expect(res.text).not.toMatch(/<img/i);
      expectSecurityHeaders(res.headers, url);
    },
    120_000,
  );

  it('sends the API documentation page with a CSP', async () => {
    const res = await f.t.anonymous.request({ method: 'GET', url: '/api/docs/' });
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
    expect(String(res.headers['content-security-policy'] ?? '')).toMatch(/default-src 'self'/);
  });
});

describe('data with markup in the JSON API', () => {
  it('is JSON that no browser sniffs into a page', async () => {
    const found = await f.t.anonymous.get(`/records?q=Walden`);
    const id = found.body.records[0].id;
    const res = await f.t.anonymous.get(`/records/${id}`);
    expect(res.body.title).toBe(title);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('keeps notices plain text: the hold-ready notice names the patron and title as typed', async () => {
    const notices = await (await f.staff('B', 'circ')).get(`/notices?patron=${patron.barcode}`);
    expect(notices.status, notices.text).toBe(200);
    const ready = (notices.body as { kind: string; subject: string; text: string }[]).find((n) => n.kind === 'hold-ready');
    expect(ready, notices.text.slice(0, 500)).toBeDefined();
    // the mailer sends a text/plain part only: what was typed is what the patron reads
    expect(ready!.text).toContain(title);
    expect(ready!.text).not.toMatch(/<html|<body|<p>|&lt;|&#60;/i);
  });
});
