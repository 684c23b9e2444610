import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { ensureWebBuilt, webDist } from './web-build';

// The browser app (staff client and patron catalog) at `/`. Its routes live in the browser, so
// every GET outside /api that names no file answers index.html (the single-page fallback);
// /api keeps its JSON 404. Hashed files under /assets are cached for good, index.html never.

function fileIn(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relativePath = normalize(decoded).replace(/^([/\\])+/, '');
  if (relativePath === '' || relativePath.startsWith('..') || relativePath.split(sep).some((p) => p === '..' || p.startsWith('.'))) return null;
  const full = join(root, relativePath);
  try {
    return statSync(full).isFile() ? relativePath : null;
  } catch {
    return null;
  }
}

function notBuiltPage(reply: FastifyReply, message: string): FastifyReply {
  const escaped = message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return reply
    .status(503)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tamarack</title></head><body style="font-family:sans-serif;max-width:40rem;margin:3rem auto">` +
        `<h1>Tamarack</h1><p>The web app could not be built: ${escaped}</p><p>Run <code>npm run build:web</code> and reload. The API and its documentation are at <a href="/api/docs">/api/docs</a>.</p></body></html>`,
    );
}

export async function webApp(app: FastifyInstance): Promise<void> {
  // sendFile only: the routes below decide what is a file and what is the app. The folder is
  // named per file, as it may not exist until the first page request builds it.
  await app.register(fastifyStatic, { serve: false });

  // Checked once per process, on the first page request: API-only use never builds anything.
  let ready: Promise<string | null> | undefined;
  const whenBuilt = (): Promise<string | null> => {
    ready ??= ensureWebBuilt({ log: (line) => app.log.warn(line) }).then(
      (state) => (state === 'no-sources' && !existsSync(join(webDist, 'index.html')) ? 'there are no web app sources in this installation' : null),
      (err: unknown) => {
        ready = undefined;
        return err instanceof Error ? err.message : String(err);
      },
    );
    return ready;
  };

  const page = async (request: { url: string }, reply: FastifyReply): Promise<FastifyReply> => {
    const path = request.url.split('?')[0];
    if (path === '/api' || path.startsWith('/api/')) {
      reply.callNotFound();
      return reply;
    }
    const problem = await whenBuilt();
    if (problem) return notBuiltPage(reply, problem);
    const file = fileIn(webDist, path);
    if (file && file !== 'index.html') {
      const immutable = file.startsWith(`assets${sep}`);
      return reply.sendFile(file, webDist, { cacheControl: immutable, maxAge: immutable ? '365d' : 0, immutable });
    }
    // a missing script or image is a 404, not the app's page
    if (extname(path) !== '' && !file) {
      reply.callNotFound();
      return reply;
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', webDist, { cacheControl: false });
  };

  app.get('/', { schema: { hide: true } }, (request, reply) => page(request, reply));
  app.get('/*', { schema: { hide: true } }, (request, reply) => page(request, reply));
}
