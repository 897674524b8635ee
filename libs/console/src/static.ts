import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Where the console's static files are (plain HTML, CSS and ES modules: no build step). */
export const CONSOLE_DIR = join(__dirname, '..', 'public');

/** Third-party browser files served from node_modules under /console/vendor/ (no build step, no CDN). */
const VENDOR: Record<string, string> = {
  'echarts.min.js': require.resolve('echarts/dist/echarts.min.js'),
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Serves the operator console under /console (node http handler, usable from express or a bare server).
 * Answers true when it handled the request. `/` redirects to `/console/`.
 */
export function serveConsole(req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (url.pathname === '/' || url.pathname === '/console') {
    res.writeHead(302, { location: '/console/' }).end();
    return true;
  }
  if (!url.pathname.startsWith('/console/')) return false;
  const rel = url.pathname.slice('/console/'.length) || 'index.html';
  const vendor = rel.startsWith('vendor/') ? VENDOR[rel.slice('vendor/'.length)] : undefined;
  const file = vendor ?? normalize(join(CONSOLE_DIR, rel));
  if ((!vendor && !file.startsWith(CONSOLE_DIR + sep)) || !existsSync(file) || !TYPES[extname(file)]) {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: `no console file ${rel}` } }));
    return true;
  }
  const body = readFileSync(file);
  res.writeHead(200, {
    'content-type': TYPES[extname(file)],
    'content-length': body.length,
    'cache-control': vendor ? 'public, max-age=86400' : 'no-cache',
    // the console talks only to its own origin; no inline scripts. Inline styles are allowed because ECharts
    // positions its tooltips with style attributes (no script can be injected through them).
    'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'",
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
