// A tiny static file server for test pages: startStatic({ root, mounts: { '/pkg/': dir } }).
// `fallback` (a file) answers page routes that match no file, as single-page apps need.
// `headers(pathname)` adds response headers to a file's answer (a Content-Security-Policy, say).
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { listenLocalhost } from './listen.mjs';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * @param {object} options
 * @param {string} options.root  directory served at /
 * @param {Record<string, string>} [options.mounts]  URL prefix (ending in /) → directory
 * @param {string} [options.fallback]  file served for GET paths without an extension that match no file
 * @param {(pathname: string) => Record<string, string> | undefined} [options.headers]  extra headers for each file served
 * @param {number} [options.port=0]
 * @returns {Promise<{ origin: string, port: number, served(): string[], close(): Promise<void> }>}
 *   `served()`: the path of every request so far, in order
 */
export async function startStatic({ root, mounts = {}, fallback, headers, port = 0 }) {
  // Longest prefix first, so '/pkg/extra/' wins over '/pkg/'.
  const table = Object.entries({ ...mounts, '/': root })
    .map(([prefix, dir]) => [prefix.endsWith('/') ? prefix : `${prefix}/`, path.resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);

  const served = [];
  async function handle(req, res) {
    const pathname = URL.parse(req.url, 'http://x')?.pathname ?? req.url;
    served.push(pathname);
    res.setHeader('Cache-Control', 'no-store');
    const file = await resolveFile(table, req.url) ?? (fallback && isPageRoute(req.url) ? fallback : undefined);
    if (file?.redirect) {
      // A directory without its trailing slash: relative URLs in its index.html need one.
      res.writeHead(301, { Location: file.redirect });
      res.end();
      return;
    }
    if (!file && req.url === '/favicon.ico') {
      // Chromium asks for one on every page without an icon; a 404 would be a console error.
      res.writeHead(204);
      res.end();
      return;
    }
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(file ? 405 : 404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(file ? 'method not allowed' : 'not found');
      return;
    }
    const body = await readFile(file);
    res.writeHead(200, {
      ...headers?.(pathname),
      'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = await listenLocalhost((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  }, port);
  return { origin: `http://localhost:${server.port}`, port: server.port, served: () => [...served], close: server.close };
}

// A client-side route (/query, /a/b/) rather than a missing asset (/main.js).
function isPageRoute(url) {
  const pathname = URL.parse(url, 'http://x')?.pathname;
  return pathname !== undefined && !path.posix.basename(pathname).includes('.');
}

async function resolveFile(table, url) {
  let pathname;
  let parsed;
  try {
    parsed = new URL(url, 'http://x');
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  const match = table.find(([prefix]) => pathname.startsWith(prefix) || `${pathname}/` === prefix);
  if (!match) return undefined;
  const [prefix, dir] = match;
  const candidate = path.join(dir, pathname.slice(prefix.length));
  if (candidate !== dir && !candidate.startsWith(dir + path.sep)) return undefined;
  const info = await stat(candidate).catch(() => undefined);
  if (info?.isFile()) return candidate;
  if (info?.isDirectory()) {
    if (!pathname.endsWith('/')) return { redirect: `${parsed.pathname}/${parsed.search}` };
    const index = path.join(candidate, 'index.html');
    if ((await stat(index).catch(() => undefined))?.isFile()) return index;
  }
  return undefined;
}
