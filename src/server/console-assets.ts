/**
 * The web console's files at `/console/` of the API's own listener: the page and the assets the
 * build step (scripts/build.mjs) wrote to dist/console/. Only GET and HEAD; a path is a list of
 * plain names (no `..`, no dot files), looked up under dist/console/ and nowhere else. The page is
 * revalidated on every load and its hashed assets are cached for good. The console talks only to
 * this origin (CSP), is never framed, and keeps its secret in session storage.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { packageRoot } from './package-root.js';

export const CONSOLE_PATH = '/console/';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

const NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export function isConsolePath(path: string): boolean {
  return path === '/console' || path.startsWith(CONSOLE_PATH);
}

function answer(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Readonly<Record<string, string>> = {}, head = false): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...SECURITY_HEADERS, ...headers });
  res.end(head ? undefined : body);
}

const page = (title: string, text: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>\n`;

/** The file `rel` (e.g. `assets/index-1a2b.js`) of the built console, or undefined when it is not there. */
async function consoleFile(rel: string): Promise<Buffer | undefined> {
  const root = await packageRoot();
  if (root === undefined) return undefined;
  try {
    return await readFile(new URL(`dist/console/${rel}`, root.url));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

export async function serveConsole(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    answer(res, 405, 'text/plain; charset=utf-8', `${path} answers GET and HEAD, not ${req.method ?? '?'}.\n`, { allow: 'GET, HEAD' });
    return;
  }
  if (path === '/console') {
    answer(res, 308, 'text/plain; charset=utf-8', `The console is at ${CONSOLE_PATH}\n`, { location: CONSOLE_PATH }, head);
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(path.slice(CONSOLE_PATH.length));
  } catch {
    rel = '\u0000';
  }
  if (rel === '') rel = 'index.html';
  const segments = rel.split('/');
  const file = segments.every((s) => NAME.test(s)) ? await consoleFile(rel) : undefined;
  if (file === undefined) {
    if (rel === 'index.html') {
      answer(
        res,
        503,
        TYPES['.html']!,
        page(
          'The console is not built',
          "Coffer serves its web console from dist/console/, which is missing. Run <code>npm run build</code> (or <code>npm install</code>) in Coffer's directory, then reload.",
        ),
        { 'cache-control': 'no-store' },
        head,
      );
    } else {
      answer(
        res,
        404,
        TYPES['.html']!,
        page('Not found', `The console has no file ${path.replace(/[<>&"]/g, '')}. Start at <a href="${CONSOLE_PATH}">${CONSOLE_PATH}</a>.`),
        { 'cache-control': 'no-store' },
        head,
      );
    }
    return;
  }
  const type = TYPES[extname(rel)] ?? 'application/octet-stream';
  const cache = segments[0] === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache';
  answer(res, 200, type, file, { 'cache-control': cache }, head);
}
