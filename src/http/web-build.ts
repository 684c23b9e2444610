import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The web app (web/) is built by Vite into web/dist. A fresh clone has no web/dist, so the build
// runs without a manual step: `npm start`, `npm run serve` and `npm test` build first when the
// sources changed (scripts/build-web.ts), and the server builds on the first page request when
// it finds web/dist missing or stale (`tamarack serve` run directly). A stamp in web/dist holds
// a hash of the sources it was built from; builds go to a temporary folder swapped in at the
// end, under a lock folder, so two processes never serve or write a half-built app.

export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
export const webRoot = join(packageRoot, 'web');
export const webDist = join(webRoot, 'dist');
const stampFile = '.tamarack-build.json';
const lockDir = join(webRoot, '.build-lock');
const staleLockMs = 5 * 60 * 1000;
/** Packages whose version changes the built files. */
const buildPackages = ['vite', '@vitejs/plugin-react', 'react', 'react-dom'];

export type WebBuildState = 'fresh' | 'stale' | 'missing' | 'no-sources';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name === 'dist' || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

/** A hash of everything the build reads: web/ sources, the Vite config and the build packages' versions. */
export async function webSourceHash(): Promise<string | null> {
  const sources = await filesUnder(webRoot);
  if (!sources.some((f) => f.endsWith('index.html'))) return null;
  const hash = createHash('sha256');
  for (const file of [...sources, join(packageRoot, 'vite.config.ts')]) {
    hash.update(relative(packageRoot, file)).update('\0');
    hash.update(await readFile(file).catch(() => Buffer.alloc(0))).update('\0');
  }
  for (const name of buildPackages) {
    const manifest = await readFile(join(packageRoot, 'node_modules', name, 'package.json'), 'utf8').catch(() => '{}');
    hash.update(`${name}@${(JSON.parse(manifest) as { version?: string }).version ?? '?'}\0`);
  }
  return hash.digest('hex');
}

export async function webBuildState(): Promise<WebBuildState> {
  const hash = await webSourceHash();
  const stamp = await readFile(join(webDist, stampFile), 'utf8').then(
    (text) => (JSON.parse(text) as { hash?: string }).hash ?? null,
    () => null,
  );
  if (hash === null) return stamp === null && !existsSync(join(webDist, 'index.html')) ? 'no-sources' : 'fresh';
  if (stamp === null || !existsSync(join(webDist, 'index.html'))) return 'missing';
  return stamp === hash ? 'fresh' : 'stale';
}

async function takeLock(): Promise<boolean> {
  await mkdir(webRoot, { recursive: true });
  try {
    await mkdir(lockDir);
    return true;
  } catch {
    const since = await stat(lockDir).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (since > staleLockMs) {
      await rm(lockDir, { recursive: true, force: true });
      return takeLock();
    }
    return false;
  }
}

async function runViteBuild(log: (line: string) => void): Promise<void> {
  const hash = await webSourceHash();
  if (hash === null) throw new Error(`There are no web app sources in ${webRoot}.`);
  const outDir = join(webRoot, `.dist-${process.pid}-${Date.now()}`);
  const started = Date.now();
  log('Building the web app (vite build)…');
  try {
    const { build } = await import('vite');
    await build({ configFile: join(packageRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    await writeFile(join(outDir, stampFile), JSON.stringify({ hash, builtAt: new Date().toISOString() }));
    const old = join(webRoot, `.dist-old-${process.pid}-${Date.now()}`);
    if (existsSync(webDist)) await rename(webDist, old);
    await rename(outDir, webDist);
    await rm(old, { recursive: true, force: true });
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
  log(`Built the web app in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

let building: Promise<WebBuildState> | undefined;

/**
 * Builds web/dist unless it is fresh (or `force`); waits for a build another process is running.
 * Answers the state afterwards ('no-sources' when there is nothing to build).
 */
export function ensureWebBuilt(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<WebBuildState> {
  building ??= (async () => {
    const log = options.log ?? ((line: string) => console.log(line));
    for (;;) {
      const state = await webBuildState();
      if (state === 'no-sources' || (state === 'fresh' && !options.force)) return state;
      if (await takeLock()) {
        try {
          // another process may have finished while we waited for the lock
          if (!options.force && (await webBuildState()) === 'fresh') return 'fresh';
          await runViteBuild(log);
          return 'fresh';
        } finally {
          await rm(lockDir, { recursive: true, force: true });
        }
      }
      options = { ...options, force: false };
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })().finally(() => {
    building = undefined;
  });
  return building;
}
