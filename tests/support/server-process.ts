import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

// A real `tamarack serve` process (node bin/tamarack.js serve), as an operator starts it.

const root = join(import.meta.dirname, '..', '..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has ended, however it ended. */
  exited: Promise<number | null>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9: no shutdown at all, as in a crash), then waits for the exit. */
  kill(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(root, 'bin', 'tamarack.js'), 'serve'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', TAMARACK_TEST_CLOCK: '', ...env },
  });
  let output = '';
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 60_000);
    child.stdout?.on('data', (d) => {
      output += d;
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited: ${output}`));
    });
  });
  return {
    url,
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
