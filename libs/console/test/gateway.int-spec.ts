import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Gateway, routeFor, startGateway } from '../src/gateway';

/** A stand-in service on loopback: an OpenAPI document, a JSON route and a server-sent-events route. */
async function fakeService(name: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/docs-json') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ paths: { [`/v1/${name}/{id}`]: { get: {} }, [`/v1/${name}/{id}/stream`]: { get: {} }, '/v1/echo': { post: {} } } }));
    }
    if (req.url?.endsWith('/stream')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: metrics\ndata: 1\n\n');
      const t = setTimeout(() => res.end('event: metrics\ndata: 2\n\n'), 300);
      res.on('close', () => clearTimeout(t));
      return;
    }
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ service: name, got: JSON.parse(body) as unknown, auth: req.headers.authorization })));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ service: name, url: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('gateway (distributed mode: one origin for the console and the API)', () => {
  let a: { server: Server; url: string };
  let gw: Gateway;

  beforeAll(async () => {
    a = await fakeService('alpha');
    // "beta" is configured but not running: its routes are unknown, and it is retried later
    gw = await startGateway({ port: 0, host: '127.0.0.1', services: { alpha: a.url, beta: 'http://127.0.0.1:9' }, refreshMs: 60_000 });
  });

  afterAll(async () => {
    await gw.close();
    a.server.close();
  });

  it('forwards a route to the service whose OpenAPI document has it, with query, headers and body', async () => {
    const r = await fetch(`${gw.url}/v1/alpha/42?x=1`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ service: 'alpha', url: '/v1/alpha/42?x=1' });
    const p = await fetch(`${gw.url}/v1/echo`, { method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, body: JSON.stringify({ n: 1 }) });
    expect(p.status).toBe(201);
    expect(await p.json()).toEqual({ service: 'alpha', got: { n: 1 }, auth: 'Bearer k' });
    expect(gw.loaded()).toEqual(['alpha']);
  });

  it('streams server-sent events through as they come', async () => {
    const r = await fetch(`${gw.url}/v1/alpha/42/stream`);
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    const reader = r.body!.getReader();
    const first = Buffer.from((await reader.read()).value).toString();
    expect(first).toContain('data: 1'); // before the upstream finished: streamed, not buffered
    let rest = '';
    for (;;) {
      const c = await reader.read();
      if (c.done) break;
      rest += Buffer.from(c.value).toString();
    }
    expect(rest).toContain('data: 2');
  });

  it('serves the console, and answers unknown routes and silent services clearly', async () => {
    const page = await fetch(`${gw.url}/console/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('livepromo');
    expect((await fetch(`${gw.url}/`, { redirect: 'manual' })).headers.get('location')).toBe('/console/');
    expect((await fetch(`${gw.url}/console/../../package.json`)).status).not.toBe(200);
    // ECharts comes from node_modules, under /console/vendor/ only by name
    const ec = await fetch(`${gw.url}/console/vendor/echarts.min.js`);
    expect(ec.status).toBe(200);
    expect(ec.headers.get('content-type')).toContain('text/javascript');
    expect((await ec.text()).length).toBeGreaterThan(500_000);
    expect((await fetch(`${gw.url}/console/vendor/echarts.js`)).status).toBe(404);
    // beta never answered: a path nobody knows may be beta's, so 503 naming it; outside /v1, 404
    const nf = await fetch(`${gw.url}/v1/nothing`);
    expect(nf.status).toBe(503);
    expect(((await nf.json()) as { error: { message: string } }).error.message).toMatch(/not answering yet: beta/);
    expect((await fetch(`${gw.url}/nothing`)).status).toBe(404);
    // alpha stops answering: 503 naming it
    a.server.closeAllConnections();
    await new Promise<void>((r) => a.server.close(() => r()));
    const down = await fetch(`${gw.url}/v1/alpha/1`);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: { message: string } }).error.message).toMatch(/alpha is not answering/);
  });

  it('prefers literal path segments over parameters', () => {
    const lit = routeFor('get', '/v1/live-sessions/{id}/stream', 'a');
    const param = routeFor('get', '/v1/live-sessions/{id}/{x}', 'b');
    expect(lit.specificity).toBeGreaterThan(param.specificity);
  });
});
