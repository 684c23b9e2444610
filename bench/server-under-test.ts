import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { readConfig } from '../src/cli/config';
import { startServer as startTamarack } from '../src/cli/server';
import type { Connection } from '../src/db/connection';
import { benchStaffPassword } from './circulation-data';

// The Tamarack server the benchmark talks HTTP to: a real `tamarack serve` process on a
// PostgreSQL server (its memory is measured on its own), or, on the embedded database, the same
// server started inside the benchmark's process — an embedded database belongs to one process,
// which is how a single-site desk runs it.

export interface RunningServer {
  url: string;
  /** Resident memory of the process serving, in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function rssOf(pid: number | undefined): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** `tamarack serve` on its own port against `databaseUrl`. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, 'bin/tamarack.js', 'serve'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error('the server did not start within a minute');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    rssMb: () => rssOf(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The server `tamarack serve` starts, in this process, on an open embedded connection. */
export async function startInProcessServer(connection: Connection): Promise<RunningServer> {
  const config = { ...readConfig({}), port: 0, host: '127.0.0.1', logLevel: 'silent' };
  // the benchmark closes the database itself, after the server
  const started = await startTamarack(config, { ...connection, close: async () => undefined });
  return { url: started.url, rssMb: () => process.memoryUsage().rss / 2 ** 20, stop: () => started.stop() };
}

export async function signIn(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login of ${username} failed: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

/** A session cookie for the circulation desk of every library, by library code. */
export async function signInDesks(server: RunningServer, staff: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const cookies = new Map<string, string>();
  for (const [code, username] of staff) cookies.set(code, await signIn(server.url, username, benchStaffPassword));
  return cookies;
}
