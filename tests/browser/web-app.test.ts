import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt, webBuildState } from '../../src/http/web-build';
import { createTestApp, type TestApp } from '../support/test-app';

// How the server serves the web app at `/`, without a browser: the built page for every page
// path (the app routes in the browser), hashed assets cached for good, and /api untouched.

let t: TestApp;
beforeAll(async () => {
  await ensureWebBuilt({ log: () => undefined });
  t = await createTestApp();
}, 120_000);
afterAll(() => t?.close());

describe('the web app at /', () => {
  it('is built from the current sources', async () => {
    expect(await webBuildState()).toBe('fresh');
  });

  it('serves the app page at / and at every page path, never cached', async () => {
    for (const url of ['/', '/staff/scan', '/record/12', '/account', '/staff/items/31000001?x=1']) {
      const res = await t.anonymous.request({ method: 'GET', url });
      expect(res.status, url).toBe(200);
      expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
      expect(res.text).toContain('<div id="root"></div>');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(String(res.headers['content-security-policy'])).toMatch(/script-src 'self'/);
    }
  });

  it('serves the hashed scripts and styles the page names, cached for a year', async () => {
    const page = await t.anonymous.request({ method: 'GET', url: '/' });
    const assets = [...page.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      const res = await t.anonymous.request({ method: 'GET', url: asset });
      expect(res.status, asset).toBe(200);
      expect(String(res.headers['content-type'])).toMatch(asset.endsWith('.js') ? /javascript/ : /text\/css/);
      expect(String(res.headers['cache-control'])).toMatch(/max-age=31536000.*immutable/);
    }
  });

  it('answers a missing file with 404, not the app page, and never serves files outside the build', async () => {
    for (const url of ['/assets/no-such-file.js', '/favicon.ico', '/%2e%2e/package.json', '/.tamarack-build.json', '/..%2f..%2fpackage.json']) {
      const res = await t.anonymous.request({ method: 'GET', url });
      expect(res.status, url).toBe(404);
      expect(res.text).not.toContain('"dependencies"');
    }
  });

  it('leaves the API as it was: JSON 404s under /api, the documentation at /api/docs', async () => {
    const missing = await t.anonymous.request({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const api = await t.anonymous.request({ method: 'GET', url: '/api/nothing-here' });
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('NOT_FOUND');
    const docs = await t.anonymous.request({ method: 'GET', url: '/api/docs/' });
    expect(docs.status).toBe(200);
    expect((await t.anonymous.get('/health')).body.ok).toBe(true);
    // a POST to a page path is not the app
    const post = await t.anonymous.request({ method: 'POST', url: '/staff/scan', payload: {} });
    expect(post.status).toBe(404);
  });
});
