import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Connection } from '../../src/db/connection';
import { listen } from '../../src/db/notifications';
import { buildApp } from '../../src/http/app';
import { SessionCache } from '../../src/services/session-cache';
import { touchEveryMs } from '../../src/services/sessions';
import { SettableClock } from '../../src/services/clock';
import type { Delivery } from '../../src/services/notices/send-notices';
import { openTestDatabase } from './database';
import { testAdmin } from './test-database-kind';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
  text: string;
}

/** A signed-in (or anonymous) caller of the in-memory API. */
export interface Caller {
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  request<T = any>(options: InjectOptions): Promise<ApiResponse<T>>;
  cookie?: string;
}

export interface TestApp {
  app: FastifyInstance;
  connection: Connection;
  clock: SettableClock;
  anonymous: Caller;
  /** Signs in through POST /auth/login. */
  login(username: string, password: string): Promise<Caller>;
  admin(): Promise<Caller>;
  /** Present with the `sessionCache` option. */
  sessionCache?: SessionCache;
  close(): Promise<void>;
}

function caller(app: FastifyInstance, cookie?: string): Caller {
  const request = async <T>(options: InjectOptions): Promise<ApiResponse<T>> => {
    const headers = { ...(options.headers ?? {}), ...(cookie ? { cookie } : {}) };
    const res = await app.inject({ ...options, headers });
    let body: unknown = undefined;
    if (res.body && String(res.headers['content-type'] ?? '').includes('json')) body = JSON.parse(res.body);
    return { status: res.statusCode, body: body as T, headers: res.headers, text: res.body };
  };
  const withPrefix = (path: string): string => (path.startsWith('/api') || path === '/' ? path : `/api/v1${path}`);
  return {
    cookie,
    request,
    get: (path) => request({ method: 'GET', url: withPrefix(path) }),
    post: (path, body) => request({ method: 'POST', url: withPrefix(path), ...(body === undefined ? {} : { payload: body as object }) }),
    patch: (path, body) => request({ method: 'PATCH', url: withPrefix(path), ...(body === undefined ? {} : { payload: body as object }) }),
  };
}

/** The API on a fresh copy of the template database, with the test clock set to `now`. */
export interface TestAppOptions {
  random?: () => number;
  /** How the notices job delivers (e.g. SMTP to a test peer); the in-app mailbox when absent. */
  delivery?: Delivery;
  /** Keep signed-in staff in memory, as `tamarack serve` does, hearing of changes from the database. */
  sessionCache?: boolean;
}

export async function createTestApp(now = new Date('2025-03-03T15:00:00Z'), options: TestAppOptions = {}): Promise<TestApp> {
  const connection = await openTestDatabase();
  const clock = new SettableClock(now);
  let sessionCache: SessionCache | undefined;
  const listener = options.sessionCache ? await listen(connection, connection.url, { tamarack_sessions: () => sessionCache?.clear() }) : undefined;
  if (listener) sessionCache = new SessionCache(() => listener.listening(), touchEveryMs);
  const app = await buildApp({ connection, clock, testClock: clock, version: 'test', random: options.random, delivery: options.delivery, sessionCache });
  await app.ready();
  const login = async (username: string, password: string): Promise<Caller> => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
    const setCookie = res.headers['set-cookie'];
    const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    return caller(app, String(first).split(';')[0]);
  };
  let adminCaller: Caller | undefined;
  return {
    app,
    connection,
    clock,
    anonymous: caller(app),
    login,
    async admin() {
      adminCaller ??= await login(testAdmin.username, testAdmin.password);
      return adminCaller;
    },
    sessionCache,
    async close() {
      await listener?.close();
      await app.close();
      await connection.close();
    },
  };
}
