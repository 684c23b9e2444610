import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserTestsSkipReason,
  patronWithLogin,
  phoneOnlyPatron,
  recordWithOneCopyAt,
  scanAs,
  screenshot,
  startDemoServer,
  type DemoServer,
} from './support';

// Every workflow of the demo consortium, walked through the web app in Chromium: a patron's
// hold from the patron catalog all the way round the loop, a staff-placed copy hold with its
// phone call, a cancelled hold's message to the lending library, a cancelled transit, clearing
// the holds shelf and the holds report's CSV. Bar Harbor (BAR) lends; Searsport (SEA) borrows.

const skip = browserTestsSkipReason();
if (skip) console.warn(skip);

// Tuesday 4 March 2025, 10:00 in Maine: both libraries are open.
const now = new Date('2025-03-04T15:00:00Z');

let demo: DemoServer;
/** Searsport's patron with a catalog login (samuel.robbins in the demo). */
let samuel: { username: string; barcode: string; name: string };

async function text(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

async function openScan(page: Page): Promise<void> {
  await page.goto(`${demo.url}/staff/scan`);
  await page.locator('#scan-input').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'scan-input');
}

describe.skipIf(skip !== null)('the web app in a browser', () => {
  beforeAll(async () => {
    demo = await startDemoServer(now);
    samuel = await patronWithLogin(demo.connection, 'SEA');
  }, 180_000);
  afterAll(async () => {
    await demo?.close();
  });

  it('takes a patron’s hold from the catalog round the whole loop and home again', async () => {
    const record = await recordWithOneCopyAt(demo.connection, 'BAR', 0);

    // The patron finds the title in the catalog and places a hold for pickup at home (SEA).
    const patron = await demo.signIn(samuel.username);
    expect(new URL(patron.url()).pathname).toBe('/account');
    await patron.getByRole('link', { name: 'Search', exact: true }).click();
    await patron.getByLabel('Search the catalog').fill(record.title);
    await patron.keyboard.press('Enter');
    await patron.getByRole('link', { name: record.title, exact: true }).first().click();
    await patron.getByRole('button', { name: 'Place a hold' }).click();
    expect(await patron.getByLabel('Pick up at').inputValue()).toBe('SEA');
    await patron.getByRole('button', { name: 'Place hold' }).click();
    await patron.getByText('Your hold is placed').waitFor();
    await screenshot(patron, 'loop-1-opac-hold-placed');

    // Bar Harbor finds it on today's pull list...
    const bar = await demo.signIn('bar-circ');
    expect(new URL(bar.url()).pathname).toBe('/staff/scan');
    expect(await bar.getByTestId('working-library').innerText()).toContain('Bar Harbor Public Library');
    await bar.getByRole('link', { name: 'Pull list', exact: true }).click();
    const line = bar.locator('tr', { hasText: record.barcode });
    await line.waitFor();
    expect(await line.innerText()).toContain(samuel.name);
    await screenshot(bar, 'loop-2-pull-list');

    // ...and scans it: send to Searsport for Samuel, with the transit slip opened to print.
    await openScan(bar);
    const sent = await scanAs(bar, record.barcode);
    expect(sent.action).toBe('transit');
    expect(sent.text).toContain('SEND TO SEARSPORT PUBLIC LIBRARY');
    expect(sent.text).toContain(`for ${samuel.name}`);
    // the slip loads in a hidden frame that prints it
    const slip = bar.frameLocator('iframe.slip-frame');
    await slip.getByText('Send to').first().waitFor({ state: 'attached' });
    expect(await slip.locator("body").textContent()).toContain(samuel.barcode);
    expect(await bar.locator('iframe.slip-frame').getAttribute('data-slip')).toMatch(/^\/api\/v1\/slips\/transit\/\d+$/);
    expect(await bar.evaluate(() => document.activeElement?.id)).toBe('scan-input');
    await screenshot(bar, 'loop-3-scan-send-to-searsport');

    // Searsport receives it: holds shelf for Samuel, who is told by email.
    const sea = await demo.signIn('sea-circ');
    await openScan(sea);
    const shelved = await scanAs(sea, record.barcode);
    expect(shelved.action).toBe('holds-shelf');
    expect(shelved.text).toContain('HOLDS SHELF');
    expect(shelved.text).toContain(`for ${samuel.name}`);
    expect(await text(sea)).toContain('The patron gets an email');
    await screenshot(sea, 'loop-4-scan-holds-shelf');

    // Samuel sees the hold ready in the catalog.
    await patron.goto(`${demo.url}/account`);
    await patron.getByText(`Ready at Searsport Public Library`).waitFor();

    // Searsport checks it out to Samuel: the due date shows large.
    await sea.getByRole('link', { name: 'Check out', exact: true }).click();
    await sea.getByLabel('Patron card barcode or name').fill(samuel.barcode);
    await sea.keyboard.press('Enter');
    await sea.getByTestId('checkout-patron').waitFor();
    await sea.waitForFunction(() => document.activeElement?.id === 'checkout-item');
    await sea.keyboard.type(record.barcode);
    await sea.keyboard.press('Enter');
    const due = sea.getByTestId('due-date');
    await due.waitFor();
    // SEA lends for BAR's 21 days from Tuesday 4 March: Tuesday 25 March
    expect(await due.innerText()).toBe('Tuesday, March 25, 2025');
    await sea.getByRole('button', { name: 'Print due-date slip' }).first().waitFor();
    await screenshot(sea, 'loop-5-checkout-due-date');
    await sea.getByRole('button', { name: `Renew ${record.barcode}` }).click();
    await sea.getByText('Renewed: due Mar 25, 2025').waitFor();

    // Samuel's loans show the due date.
    await patron.goto(`${demo.url}/account`);
    await patron.getByText('My loans (1)').waitFor();
    expect(await text(patron)).toContain('Tuesday, March 25, 2025');
    // the patron catalog reads on a phone: nothing wider than the screen
    await patron.setViewportSize({ width: 390, height: 844 });
    expect(await patron.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(patron, 'loop-6-opac-my-loans-on-a-phone');

    // Samuel returns it at Searsport: it goes home to Bar Harbor.
    await openScan(sea);
    const back = await scanAs(sea, record.barcode);
    expect(back.action).toBe('transit');
    expect(back.text).toContain('SEND TO BAR HARBOR PUBLIC LIBRARY');
    await screenshot(sea, 'loop-7-return-goes-home');

    // Bar Harbor scans it: shelve here, and the item screen says available.
    await openScan(bar);
    const home = await scanAs(bar, record.barcode);
    expect(home.action).toBe('shelve');
    expect(home.text).toContain('SHELVE HERE');
    await bar.getByRole('link', { name: `Item screen for ${record.barcode}` }).click();
    await bar.getByText('Available', { exact: true }).first().waitFor();
    // one check-out and one renewal; scans never count
    expect(await text(bar)).toContain('Circulations 2');
    await screenshot(bar, 'loop-8-home-available');
  }, 180_000);

  it('lets staff place a copy hold for a patron, and the pickup library phones them', async () => {
    const record = await recordWithOneCopyAt(demo.connection, 'BAR', 1);
    const patron = await phoneOnlyPatron(demo.connection, 'SEA');

    const bar = await demo.signIn('bar-circ');
    await bar.getByRole('link', { name: 'Patrons', exact: true }).click();
    await bar.getByLabel('Patron card barcode or name').fill(patron.barcode);
    await bar.keyboard.press('Enter');
    await bar.getByRole('heading', { name: patron.name }).waitFor();
    await bar.getByRole('link', { name: 'Place a hold' }).click();
    await bar.getByText(`Placing holds for`).waitFor();
    await bar.getByLabel('Search the catalog').fill(record.title);
    await bar.keyboard.press('Enter');
    await bar.getByRole('link', { name: record.title, exact: true }).first().click();
    await bar.getByRole('button', { name: `Copy hold on ${record.barcode}` }).click();
    await bar.getByLabel('Pickup library').selectOption('SEA');
    await bar.getByRole('button', { name: 'Place copy hold' }).click();
    await bar.getByText(`placed for ${patron.name}`).waitFor();
    await screenshot(bar, 'copy-hold-1-placed');

    await openScan(bar);
    expect((await scanAs(bar, record.barcode)).text).toContain('SEND TO SEARSPORT PUBLIC LIBRARY');

    const sea = await demo.signIn('sea-circ');
    await openScan(sea);
    const shelved = await scanAs(sea, record.barcode);
    expect(shelved.action).toBe('holds-shelf');
    expect(await text(sea)).toContain('Phone the patron');
    await screenshot(sea, 'copy-hold-2-phone-the-patron');

    await sea.getByRole('link', { name: 'phone-call list' }).click();
    const call = sea.locator('.call', { hasText: patron.name });
    await call.waitFor();
    expect(await call.innerText()).toContain(record.title);
    await call.getByLabel('Outcome').selectOption('left-message');
    await call.getByRole('button', { name: `Mark the call to ${patron.name} done` }).click();
    await call.getByText('Done: message left.').waitFor();
    await screenshot(sea, 'copy-hold-3-call-done');

    // Checking it out to someone else is refused with the reason; staff override with one.
    await sea.getByRole('link', { name: 'Check out', exact: true }).click();
    await sea.getByLabel('Patron card barcode or name').fill(samuel.barcode);
    await sea.keyboard.press('Enter');
    await sea.waitForFunction(() => document.activeElement?.id === 'checkout-item');
    await sea.keyboard.type(record.barcode);
    await sea.keyboard.press('Enter');
    const refusal = sea.getByTestId('checkout-refusal');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain(patron.name);
    await sea.getByLabel('Reason (recorded with the loan)').fill('Patron called: she no longer wants it');
    await sea.getByRole('button', { name: `Check out ${record.barcode} anyway` }).click();
    await sea.getByTestId('due-date').waitFor();
    await screenshot(sea, 'copy-hold-4-override');
  }, 180_000);

  it('tells the lending library when a hold is cancelled', async () => {
    const record = await recordWithOneCopyAt(demo.connection, 'BAR', 2);
    const patron = await phoneOnlyPatron(demo.connection, 'SEA', 1);

    // Searsport places a title hold for its patron from the record page...
    const sea = await demo.signIn('sea-circ');
    await sea.goto(`${demo.url}/staff/catalog`);
    await sea.getByLabel('Search the catalog').fill(record.title);
    await sea.keyboard.press('Enter');
    await sea.getByRole('link', { name: record.title, exact: true }).first().click();
    await sea.getByLabel('Patron to place the hold for (card or name)').fill(patron.barcode);
    await sea.keyboard.press('Enter');
    await sea.getByRole('button', { name: /^Title hold for / }).click();
    await sea.getByRole('button', { name: 'Place title hold' }).click();
    await sea.getByText(`copy ${record.barcode} at Bar Harbor Public Library`).waitFor();

    // ...then cancels it at the patron's request, with a note.
    await sea.getByRole('link', { name: "Patron's holds" }).click();
    await sea.getByRole('button', { name: /^Cancel hold \d+/ }).click();
    await sea.getByLabel('Reason', { exact: true }).selectOption('patron-request');
    await sea.getByLabel('Note for the other library (optional)').fill('Bought her own copy');
    await sea.getByRole('button', { name: 'Cancel this hold' }).click();
    await sea.getByText('Holds (0 open)').waitFor();
    await screenshot(sea, 'cancel-1-hold-cancelled');

    // Bar Harbor reads the message, and the item is off its pull list.
    const bar = await demo.signIn('bar-circ');
    await bar.getByRole('link', { name: 'Library messages', exact: true }).click();
    const message = bar.locator('.library-message', { hasText: record.barcode });
    await message.waitFor();
    expect(await message.innerText()).toContain(patron.name);
    expect(await message.innerText()).toContain('Bought her own copy');
    await screenshot(bar, 'cancel-2-library-message');
    await message.getByRole('button', { name: 'Mark read' }).click();
    await bar.locator('.library-message.is-read', { hasText: record.barcode }).waitFor();
    await bar.getByRole('link', { name: 'Pull list', exact: true }).click();
    await bar.getByRole('heading', { name: /Pull list/ }).waitFor();
    await bar.waitForLoadState('networkidle');
    expect(await text(bar)).not.toContain(record.barcode);
  }, 180_000);

  it('cancels a transit from the item screen; the next scans send the item home', async () => {
    const record = await recordWithOneCopyAt(demo.connection, 'BAR', 3);
    const patron = await phoneOnlyPatron(demo.connection, 'CAM', 0);
    // set-up through the API: a hold for a Searsport patron, captured at Bar Harbor
    const barApi = await demo.api('bar-circ');
    const hold = await barApi.post('/holds', { patronBarcode: patron.barcode, type: 'title', recordId: record.id, pickupLibraryCode: 'SEA' });
    await barApi.post('/circulation/scan', { itemBarcode: record.barcode });

    // Searsport no longer needs it: cancel the hold, then the transit on the item screen.
    const sea = await demo.signIn('sea-circ');
    await sea.goto(`${demo.url}/staff/patrons/${patron.barcode}`);
    await sea.getByRole('button', { name: `Cancel hold ${hold.id} (${record.title})` }).click();
    await sea.getByLabel('Reason', { exact: true }).selectOption('staff');
    await sea.getByRole('button', { name: 'Cancel this hold' }).click();
    await sea.getByText('Holds (0 open)').waitFor();
    await sea.getByRole('link', { name: 'Transits', exact: true }).click();
    await sea.locator('tr', { hasText: record.barcode }).getByRole('link', { name: record.barcode }).click();
    await sea.getByTestId('item-transit').waitFor();
    await sea.getByRole('button', { name: 'Cancel transit…' }).click();
    await sea.getByLabel('Why (optional)').fill('Hold cancelled, not needed here');
    await sea.getByRole('button', { name: 'Cancel the transit' }).click();
    await sea.getByText('The transit was cancelled').waitFor();
    expect(await text(sea)).toContain('Transit cancelled');
    await screenshot(sea, 'cancel-transit-1-item-screen');

    // The van brings it to Searsport anyway: the scan sends it home; Bar Harbor shelves it.
    await openScan(sea);
    const routed = await scanAs(sea, record.barcode);
    expect(routed.text).toContain('SEND TO BAR HARBOR PUBLIC LIBRARY');
    const bar = await demo.signIn('bar-circ');
    await openScan(bar);
    expect((await scanAs(bar, record.barcode)).action).toBe('shelve');
    await screenshot(bar, 'cancel-transit-2-shelved-at-home');
  }, 180_000);

  it('clears expired holds from the holds shelf', async () => {
    const record = await recordWithOneCopyAt(demo.connection, 'BAR', 4);
    const patron = await phoneOnlyPatron(demo.connection, 'CAM', 1);
    const barApi = await demo.api('bar-circ');
    const seaApi = await demo.api('sea-circ');
    await barApi.post('/holds', { patronBarcode: patron.barcode, type: 'title', recordId: record.id, pickupLibraryCode: 'SEA' });
    await barApi.post('/circulation/scan', { itemBarcode: record.barcode });
    await seaApi.post('/circulation/scan', { itemBarcode: record.barcode });
    try {
      // SEA keeps holds 10 days: three weeks later the hold has expired
      demo.clock.set(new Date('2025-03-25T15:00:00Z'));
      const sea = await demo.signIn('sea-circ');
      await sea.getByRole('link', { name: 'Holds shelf', exact: true }).click();
      await sea.getByRole('tab', { name: 'Clear-shelf list (expired)' }).click();
      const row = sea.locator('tr', { hasText: record.barcode });
      await row.waitFor();
      expect(await row.innerText()).toContain(patron.name);
      await screenshot(sea, 'clear-shelf-1-list');
      await sea.getByRole('button', { name: /^Clear the shelf/ }).click();
      await sea.getByText(/Cleared \d+ holds?/).waitFor();
      expect(await text(sea)).toContain(`was for ${patron.name}`);
      await screenshot(sea, 'clear-shelf-2-cleared');
      // the cleared item is scanned: nobody else wants it, so it goes home
      await openScan(sea);
      expect((await scanAs(sea, record.barcode)).text).toContain('SEND TO BAR HARBOR PUBLIC LIBRARY');
    } finally {
      demo.clock.set(now);
    }
  }, 180_000);

  it('registers a patron with a first PIN; at the first sign-in they choose a user name and password', async () => {
    const sea = await demo.signIn('sea-circ');
    await sea.goto(`${demo.url}/staff/patrons/new`);
    await sea.getByLabel('Card barcode').fill('25999001');
    await sea.getByLabel('First name').fill('Ada');
    await sea.getByLabel('Last name').fill('Lovelace');
    expect(await sea.getByLabel('Home library').inputValue()).toBe('SEA');
    await sea.getByRole('textbox', { name: 'Email', exact: true }).fill('ada@example.org');
    await sea.getByLabel('First PIN for the patron catalog (optional)').fill('first-pin-2025');
    await sea.getByRole('button', { name: 'Register' }).click();
    await sea.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();

    const ada = await demo.signIn('25999001', 'first-pin-2025');
    expect(new URL(ada.url()).pathname).toBe('/account/welcome');
    await ada.getByLabel('User name').fill('ada.lovelace');
    await ada.getByLabel('New password', { exact: true }).fill('analytical engine');
    await ada.getByLabel('New password again').fill('analytical engine');
    await ada.getByRole('button', { name: 'Save and continue' }).click();
    await ada.getByRole('heading', { name: 'Hello, Ada' }).waitFor();
    await screenshot(ada, 'first-sign-in-account');

    const again = await demo.signIn('ada.lovelace', 'analytical engine');
    expect(new URL(again.url()).pathname).toBe('/account');
  }, 180_000);

  it('shows the holds report with totals and a chart, and downloads it as CSV', async () => {
    const bar = await demo.signIn('bar-circ');
    await bar.getByRole('link', { name: 'Reports', exact: true }).click();
    const report = bar.locator('section[aria-labelledby="holds-report"]');
    await report.getByLabel('From').fill('2025-03-01');
    await report.getByLabel('To').fill('2025-03-31');
    await report.getByRole('button', { name: 'Show report' }).click();
    const totals = bar.getByTestId('report-totals');
    await totals.waitFor();
    expect((await totals.innerText()).replace(/\s+/g, ' ')).toMatch(/Lent [1-9]/);
    expect(await text(bar)).toContain(samuel.name);
    await bar.locator('figure.chart svg').first().waitFor();
    await screenshot(bar, 'report-1-holds-report');
    const [download] = await Promise.all([bar.waitForEvent('download'), report.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header).toMatch(/Kind/);
    expect(rows.some((r) => r.includes(samuel.name))).toBe(true);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
  }, 180_000);
});
