import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seedDemo } from '../../src/cli/demo-seed';
import { demoPatronPassword, demoStaffPassword } from '../../src/cli/demo-seed-people';
import type { Connection } from '../../src/db/connection';
import { buildApp } from '../../src/http/app';
import { ensureWebBuilt, packageRoot } from '../../src/http/web-build';
import { SettableClock } from '../../src/services/clock';
import { openTestDatabase } from '../support/database';

// The browser tests drive the real web app in Debian's Chromium against a real server (the app
// listening on a free port) on a fresh database seeded with the demo consortium. They are
// heavy: they run in the suite's PostgreSQL pass (TAMARACK_TEST_DB=postgres, as .ci/run does)
// or with TAMARACK_BROWSER_TESTS=1, and skip with a message when Chromium is not installed.

export const chromiumPath = process.env.TAMARACK_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumFlags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export function browserTestsSkipReason(): string | null {
  if (process.env.TAMARACK_TEST_DB !== 'postgres' && process.env.TAMARACK_BROWSER_TESTS !== '1') {
    return 'Skipping the browser tests: they run on the PostgreSQL pass (TAMARACK_TEST_DB=postgres) or with TAMARACK_BROWSER_TESTS=1.';
  }
  if (!existsSync(chromiumPath)) {
    return `Skipping the browser tests: no Chromium at ${chromiumPath} (install it with: apt-get update && apt-get install -y chromium).`;
  }
  return null;
}

export const resultsDir = join(packageRoot, 'test-results');

export const staffPassword = demoStaffPassword;
export const patronPassword = demoPatronPassword;

export interface DemoServer {
  url: string;
  connection: Connection;
  clock: SettableClock;
  browser: Browser;
  /** A new browser window (its own cookies) signed in as `username`, on the page it lands on. */
  signIn(username: string, password?: string): Promise<Page>;
  /** Calls the API as `username` (for setting up state the test does not look at). */
  api(username: string, password?: string): Promise<ApiCaller>;
  close(): Promise<void>;
}

export interface ApiCaller {
  get<T = any>(path: string): Promise<T>;
  post<T = any>(path: string, body?: unknown): Promise<T>;
}

export async function startDemoServer(now: Date): Promise<DemoServer> {
  await ensureWebBuilt({ log: () => undefined });
  const connection = await openTestDatabase();
  if (!(await seedDemo(connection.db, now))) throw new Error('the demo consortium was not seeded: the test database already had libraries');
  const clock = new SettableClock(now);
  const app = await buildApp({ connection, clock, testClock: clock, version: 'browser-test', logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
  const contexts: BrowserContext[] = [];
  await mkdir(resultsDir, { recursive: true });

  return {
    url,
    connection,
    clock,
    browser,
    async signIn(username, password = username.includes('-') ? staffPassword : patronPassword) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, timezoneId: 'America/New_York' });
      contexts.push(context);
      context.setDefaultTimeout(20_000);
      // the page's clock reads the server's test clock, so "today" and "overdue" agree with it
      await context.clock.setFixedTime(clock.now());
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error(`page error (${username}): ${err.message}`));
      await page.goto(`${url}/login`);
      await page.getByLabel('User name or library card number').fill(username);
      await page.getByLabel('Password or PIN').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => u.pathname !== '/login');
      return page;
    },
    async api(username, password = username.includes('-') ? staffPassword : patronPassword) {
      const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      if (!login.ok) throw new Error(`API login as ${username}: ${login.status}`);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
        const res = await fetch(`${url}/api/v1${path}`, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
        return (text ? JSON.parse(text) : undefined) as T;
      };
      return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body ?? {}) };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await app.close();
      await connection.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(resultsDir, `${name}.png`), fullPage: true });
}

/** Types a barcode into the focused scan input the way a scanner does: the digits, then Enter. */
export async function scanAs(page: Page, barcode: string): Promise<{ action: string; text: string }> {
  const before = await page.locator('table tbody tr').count().catch(() => 0);
  await page.keyboard.type(barcode);
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('scan-action');
  await page.waitForFunction(
    ([count]) => {
      const el = document.querySelector('[data-testid="scan-action"]');
      const rows = document.querySelectorAll('table tbody tr').length;
      return !!el && el.hasAttribute('data-action') && el.getAttribute('aria-busy') !== 'true' && rows > (count as number);
    },
    [before],
  );
  return { action: (await panel.getAttribute('data-action')) ?? '', text: (await panel.innerText()).replace(/\s+/g, ' ') };
}

/** A record whose only copy is one available, holdable, unprotected item of `library`. */
export async function recordWithOneCopyAt(connection: Connection, library: string, skip: number): Promise<{ id: number; title: string; barcode: string }> {
  const { rows } = await sql<{ id: number; title: string; barcode: string }>`
    SELECT r.id, r.title, min(i.barcode) AS barcode
    FROM records r
    JOIN items i ON i.record_id = r.id
    JOIN libraries l ON l.id = i.owning_library_id
    LEFT JOIN shelving_locations s ON s.id = i.location_id
    GROUP BY r.id, r.title
    HAVING count(*) = 1
       AND bool_and(l.code = ${library} AND i.status = 'available' AND i.holdable AND coalesce(s.holdable, true) AND i.age_protection = 'none')
       AND r.title !~ '[''"‘’ʻʼ]' AND length(r.title) BETWEEN 8 AND 80
    ORDER BY r.id
    OFFSET ${skip} LIMIT 1`.execute(connection.db);
  if (!rows[0]) throw new Error(`no record with a single copy at ${library}`);
  return rows[0];
}

/** A patron of `library` in good standing with a phone number and no email. */
export async function phoneOnlyPatron(connection: Connection, library: string, skip = 0): Promise<{ barcode: string; name: string }> {
  const { rows } = await sql<{ barcode: string; name: string }>`
    SELECT p.barcode, p.first_name || ' ' || p.last_name AS name
    FROM patrons p JOIN libraries l ON l.id = p.home_library_id
    WHERE l.code = ${library} AND p.email IS NULL AND p.phone IS NOT NULL AND NOT p.blocked
    ORDER BY p.id OFFSET ${skip} LIMIT 1`.execute(connection.db);
  if (!rows[0]) throw new Error(`no phone-only patron at ${library}`);
  return rows[0];
}

/** The demo patron of `library` who signs in to the patron catalog with a user name. */
export async function patronWithLogin(connection: Connection, library: string): Promise<{ username: string; barcode: string; name: string }> {
  const { rows } = await sql<{ username: string; barcode: string; name: string }>`
    SELECT p.username, p.barcode, p.first_name || ' ' || p.last_name AS name
    FROM patrons p JOIN libraries l ON l.id = p.home_library_id
    WHERE l.code = ${library} AND p.username IS NOT NULL AND NOT p.blocked
    ORDER BY p.id LIMIT 1`.execute(connection.db);
  if (!rows[0]) throw new Error(`no patron of ${library} with a catalog login`);
  return rows[0];
}
