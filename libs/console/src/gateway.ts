import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { serveConsole } from './static';

/** One route of a service's OpenAPI document, as a matcher. */
export interface Route {
  method: string;
  re: RegExp;
  service: string;
  specificity: number;
}

/** `/v1/live-sessions/{id}` → a regex; literal segments weigh more than parameters, so the most specific wins. */
export function routeFor(method: string, path: string, service: string): Route {
  const parts = path.split('/').filter(Boolean);
  const re = parts.map((p) => (p.startsWith('{') ? '[^/]+' : p.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/');
  return { method: method.toUpperCase(), re: new RegExp(`^/${re}/?$`), service, specificity: parts.filter((p) => !p.startsWith('{')).length * 10 + parts.length };
}

export function routesOf(service: string, doc: { paths?: Record<string, object> }): Route[] {
  const out: Route[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of Object.keys(item)) if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) out.push(routeFor(method, path, service));
  }
  return out;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): Route | undefined {
  return routes.find((r) => (r.method === method || (method === 'HEAD' && r.method === 'GET')) && r.re.test(path));
}

export interface Gateway {
  server: Server;
  url: string;
  /** Services whose route table is loaded. */
  loaded(): string[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(s) }).end(s);
};

/**
 * The distributed mode's single origin: serves the operator console and forwards /v1/… to the service that owns
 * the route (learnt from each service's /docs-json), streaming the answer through (server-sent events included).
 * A service that does not answer gives 503 `unavailable` naming it (also for a path no answering service knows while
 * some have not answered yet); an unknown route 404 `not_found`.
 */
export async function startGateway(opts: { port: number; host?: string; services: Record<string, string>; refreshMs?: number }): Promise<Gateway> {
  const tables = new Map<string, Route[]>();
  let routes: Route[] = [];
  const load = async () => {
    await Promise.all(
      Object.entries(opts.services).map(async ([name, base]) => {
        if (tables.has(name)) return;
        try {
          const res = await fetch(`${base}/docs-json`, { signal: AbortSignal.timeout(3000) });
          if (res.ok) tables.set(name, routesOf(name, (await res.json()) as { paths?: Record<string, object> }));
        } catch {
          /* not up yet: tried again on the next request or refresh */
        }
      }),
    );
    routes = [...tables.values()].flat().sort((a, b) => b.specificity - a.specificity);
  };
  await load();
  const timer = setInterval(() => {
    if (tables.size < Object.keys(opts.services).length) void load();
  }, opts.refreshMs ?? 5000);
  timer.unref();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (serveConsole(req, res)) return;
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/health/live' || path === '/health/ready') return json(res, 200, { status: 'ok', mode: 'gateway', services: [...tables.keys()] });
      let hit = matchRoute(routes, req.method ?? 'GET', path);
      if (!hit && tables.size < Object.keys(opts.services).length) {
        await load();
        hit = matchRoute(routes, req.method ?? 'GET', path);
      }
      if (!hit) {
        const missing = Object.keys(opts.services).filter((n) => !tables.has(n));
        if (missing.length && path.startsWith('/v1/'))
          return json(res, 503, { error: { code: 'unavailable', message: `no route for ${req.method} ${path} among the services answering; not answering yet: ${missing.join(', ')}` } });
        return json(res, 404, { error: { code: 'not_found', message: `no route for ${req.method} ${path}` } });
      }
      const target = new URL(req.url ?? '/', opts.services[hit.service]);
      const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => {
        if (!res.headersSent) json(res, 503, { error: { code: 'unavailable', message: `${hit.service} is not answering at ${opts.services[hit.service]}` } });
        else res.destroy();
      });
      res.on('close', () => upstream.destroy()); // a closed SSE tab closes its upstream stream
      req.pipe(upstream);
    })();
  });
  await new Promise<void>((r) => server.listen(opts.port, opts.host ?? '0.0.0.0', r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    loaded: () => [...tables.keys()],
    close: () =>
      new Promise<void>((r) => {
        clearInterval(timer);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
