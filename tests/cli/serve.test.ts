import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { adminPgUrl, pgUrlFor, postgresAvailable } from '../support/test-database-kind';

// The real command, as a newcomer runs it: `tamarack serve` with the environment of README.
const root = join(import.meta.dirname, '..', '..');
const cleanups: (() => Promise<void>)[] = [];
const hasPostgres = await postgresAvailable();
if (!hasPostgres) console.warn(`Skipping 'serves on PostgreSQL': no PostgreSQL server answers at ${adminPgUrl()}.`);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function run(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [join(root, 'bin', 'tamarack.js'), ...args], { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; out: string }> {
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

async function startServe(env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void>; output: () => string }> {
  const child = run(['serve'], { PORT: '0', HOST: '127.0.0.1', ...env });
  const exited = exitOf(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 60_000);
    child.stdout?.on('data', (d) => {
      seen += d;
      const match = /running at (http:\/\/\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', () => reject(new Error(`server exited: ${seen}`)));
  });
  return {
    url,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: any; cookie: string }> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  return { status: res.status, body: await res.json().catch(() => undefined), cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
}

describe('tamarack serve', () => {
  it('starts a fresh consortium whose first admin comes from the environment, with a test clock', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tamarack-serve-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const env: Record<string, string> = {
      TAMARACK_DATA_DIR: dataDir,
      TAMARACK_ADMIN_USER: 'office',
      TAMARACK_ADMIN_PASSWORD: 'north-branch-key',
      TAMARACK_TEST_CLOCK: '1',
      DATABASE_URL: '',
    };
    const server = await startServe(env);
    cleanups.push(server.stop);
    const health = await json(`${server.url}/api/v1/health`);
    expect(health.body).toMatchObject({ ok: true, database: 'embedded' });
    const login = await json(`${server.url}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'office', password: 'north-branch-key' }) });
    expect(login.status).toBe(200);
    const headers = { cookie: login.cookie };
    expect((await json(`${server.url}/api/v1/libraries`)).body).toEqual([]);
    const created = await json(`${server.url}/api/v1/libraries`, { method: 'POST', headers, body: JSON.stringify({ code: 'A', name: 'Abbot' }) });
    expect(created.status).toBe(201);
    const clock = await json(`${server.url}/api/v1/admin/clock`, { method: 'POST', headers, body: JSON.stringify({ now: '2025-03-03T15:00:00Z' }) });
    expect(clock.body).toEqual({ now: '2025-03-03T15:00:00.000Z' });
    await server.stop();

    // the data survives a restart, and a backup restores into a new folder
    const backup = join(dataDir, '..', `${dataDir.split('/').pop()}.tgz`);
    cleanups.push(() => rm(backup, { force: true }));
    expect((await exitOf(run(['backup', backup], env))).code).toBe(0);
    const restored = `${dataDir}-restored`;
    cleanups.push(() => rm(restored, { recursive: true, force: true }));
    expect((await exitOf(run(['restore', backup], { ...env, TAMARACK_DATA_DIR: restored }))).code).toBe(0);
    const again = await startServe({ ...env, TAMARACK_DATA_DIR: restored });
    cleanups.push(again.stop);
    expect((await json(`${again.url}/api/v1/libraries`)).body.map((l: { code: string }) => l.code)).toEqual(['A']);
  }, 120_000);

  it('refuses to start a new database without a first admin', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tamarack-serve-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const result = await exitOf(run(['serve'], { TAMARACK_DATA_DIR: dataDir, PORT: '0', DATABASE_URL: '', TAMARACK_ADMIN_USER: '', TAMARACK_ADMIN_PASSWORD: '' }));
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/TAMARACK_ADMIN_USER/);
  }, 60_000);

  it('refuses a first admin password that breaks the password rules: admin/admin is for the demo alone', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tamarack-serve-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const result = await exitOf(run(['serve'], { TAMARACK_DATA_DIR: dataDir, PORT: '0', DATABASE_URL: '', TAMARACK_ADMIN_USER: 'admin', TAMARACK_ADMIN_PASSWORD: 'admin' }));
    expect(result.code).toBe(1);
    expect(result.out).toContain('TAMARACK_ADMIN_PASSWORD: A password needs at least 8 characters.');
  }, 60_000);

  it('writes no password, session cookie or token to its log, even at the most detailed level', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tamarack-serve-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const server = await startServe({ TAMARACK_DATA_DIR: dataDir, DATABASE_URL: '', TAMARACK_ADMIN_USER: 'office', TAMARACK_ADMIN_PASSWORD: 'north-branch-key', LOG_LEVEL: 'trace' });
    cleanups.push(server.stop);
    const post = (path: string, body: unknown, cookie?: string) =>
      json(`${server.url}/api/v1${path}`, { method: path.startsWith('/staff/') ? 'PATCH' : 'POST', body: JSON.stringify(body), headers: cookie ? { cookie } : {} });
    expect((await post('/auth/login', { username: 'office', password: 'wrong-password-guess' })).status).toBe(401);
    const login = await post('/auth/login', { username: 'office', password: 'north-branch-key' });
    expect(login.status).toBe(200);
    expect((await post('/libraries', { code: 'A', name: 'Abbot' }, login.cookie)).status).toBe(201);
    expect((await post('/staff', { username: 'a-circ', password: 'first-secret-words', libraryCode: 'A', role: 'circulation' }, login.cookie)).status).toBe(201);
    expect((await post('/staff/a-circ', { password: 'second-secret-words' }, login.cookie)).status).toBe(200);
    expect((await post('/staff', { username: 'a-cat', password: 'short', libraryCode: 'A', role: 'cataloger' }, login.cookie)).status).toBe(400);
    await server.stop();
    const log = server.output();
    expect(log).toMatch(/"reqId"/);
    const token = login.cookie.split('=')[1];
    for (const secret of ['north-branch-key', 'wrong-password-guess', 'first-secret-words', 'second-secret-words', '"short"', token]) {
      expect(log, secret).not.toContain(secret);
    }
  }, 60_000);

  it.skipIf(!hasPostgres)('serves on PostgreSQL when DATABASE_URL is set, applying migrations first', async () => {
    const database = `tamarack_cli_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminPgUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    });
    const server = await startServe({ DATABASE_URL: pgUrlFor(database), TAMARACK_ADMIN_USER: 'office', TAMARACK_ADMIN_PASSWORD: 'north-branch-key' });
    cleanups.push(server.stop);
    expect((await json(`${server.url}/api/v1/health`)).body).toMatchObject({ ok: true, database: 'postgres' });
    const login = await json(`${server.url}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'office', password: 'north-branch-key' }) });
    expect(login.status).toBe(200);
    await server.stop();
  }, 60_000);
});
