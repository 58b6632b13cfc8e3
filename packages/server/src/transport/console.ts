// GET /console and /console/*: the web console's built files (packages/console/dist), with a client-route fallback.
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * Where `npm run build` puts the console: found through the workspace's @wxgate/console package, so it works from any
 * working directory and from the bundle npm start runs (which does not sit where this file does).
 */
export const DEFAULT_CONSOLE_DIR = join(dirname(createRequire(import.meta.url).resolve('@wxgate/console/package.json')), 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>wxgate console</title></head>
<body style="font-family:system-ui,sans-serif;margin:3rem"><h1>console not built</h1>
<p>The web console has not been built on this machine: run <code>npm run build</code> (or restart with <code>npm start</code>, which builds it when it is missing).</p></body></html>`;

export interface ConsoleOptions {
  /** The built console; defaults to packages/console/dist. */
  readonly dir?: string;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The file under `root` a request path names, or null when it tries to leave `root` (`..`, encoded or not, NUL,
 * backslashes): such requests are answered 404 without touching the file system outside the console.
 */
export function resolveInside(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((part) => part === '..')) return null;
  const full = resolve(root, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  return full === root || full.startsWith(root + sep) ? full : null;
}

export function registerConsole(app: FastifyInstance, options: ConsoleOptions = {}): void {
  const root = resolve(options.dir ?? DEFAULT_CONSOLE_DIR);
  const index = join(root, 'index.html');

  const send = async (reply: FastifyReply, file: string, cache: string) =>
    reply.type(TYPES[extname(file)] ?? 'application/octet-stream').header('cache-control', cache).send(await readFile(file));

  // Relative links in the page resolve against /console/, so the bare path redirects there.
  app.get('/console', async (_request, reply) => reply.redirect('/console/', 301));
  app.get('/console/*', async (request, reply) => {
    if (!(await isFile(index))) return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    // The raw URL, not the router's decoded parameter: decoding happens once, here, before the containment check.
    const rawPath = request.raw.url!.split('?')[0]!.slice('/console'.length);
    const file = resolveInside(root, rawPath);
    if (file === null) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    if (file !== root && (await isFile(file))) {
      // Vite names everything under assets/ by content hash: such a URL never changes meaning.
      const hashed = file.startsWith(join(root, 'assets') + sep);
      return send(reply, file, hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    // A missing file with an extension is a real 404; anything else is a client route the page itself renders.
    if (extname(file) !== '') return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    return send(reply, index, 'no-cache');
  });
}
