/**
 * The embedded mode: all seven services in one process on one port, with an in-process bus
 * instead of Kafka, embedded Postgres (PGlite, one database per service, as each service owns
 * its data) instead of a server, and an in-memory cache instead of Redis. Same modules, same REST.
 */
import { INestApplication } from '@nestjs/common';
import { OpenAPIObject } from '@nestjs/swagger';
import express, { Request, Response, NextFunction } from 'express';
import { createServer, Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { ServiceName } from '@livepromo/contracts';
import { InProcessBus, InProcessLog } from '@livepromo/messaging';
import { MemoryCache } from '@livepromo/cache';
import { JsonLogger, LogLevel, Metrics } from '@livepromo/observability';
import { correlationIdOf, createServiceApp, ERROR_SCHEMA_DESCRIPTION, expressErrorHandler, listenHost, rejectHostileUrl } from '@livepromo/service-kit';
import { matchRoute, Route, routesOf, serveConsole } from '@livepromo/console';
import { SERVICES } from './services';

export interface EmbeddedOptions {
  port?: number;
  /** Where PGlite keeps its files; in memory when unset. */
  dataDir?: string;
  logLevel?: LogLevel;
  /** Interface to listen on; default `HOST`, else 127.0.0.1 (nothing listens beyond this machine unless configured). */
  host?: string;
  /** Extra environment for every service (e.g. OPERATOR_TOKEN). */
  env?: Record<string, string>;
}

export interface EmbeddedPlatform {
  url: string;
  port: number;
  server: Server;
  log: InProcessLog;
  buses: Map<string, InProcessBus>;
  apps: Map<string, INestApplication>;
  document: OpenAPIObject;
  /** Resolves when every consumer group has caught up with the in-process log. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startEmbeddedPlatform(opts: EmbeddedOptions = {}): Promise<EmbeddedPlatform> {
  const logLevel = opts.logLevel ?? 'info';
  const rootLog = new JsonLogger('embedded', logLevel);
  const log = new InProcessLog();
  const buses = new Map<string, InProcessBus>();
  const apps = new Map<string, INestApplication>();
  const docs: OpenAPIObject[] = [];
  const routes: Route[] = [];
  const pgServers: { db: PGlite; server: PGLiteSocketServer }[] = [];
  const metricsList: Metrics[] = [];
  const caches = new Map<string, MemoryCache>();

  const startOne = async (entry: (typeof SERVICES)[number], i: number) => {
    const service = entry.manifest.service as ServiceName;
    const started = Date.now();
    const dataDir = opts.dataDir ? join(opts.dataDir, service) : undefined;
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir ? { dataDir } : {});
    const pgServer = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 4 });
    await pgServer.start();
    pgServers[i] = { db, server: pgServer };
    const conn = pgServer.getServerConn(); // host:port
    const bus = new InProcessBus(service, log);
    const cache = new MemoryCache();
    caches.set(service, cache);
    const metrics = new Metrics(service, i === 0);
    metricsList[i] = metrics;
    const { app, document } = await createServiceApp(
      entry.module({
        bus,
        cache,
        databaseUrl: `postgres://postgres@${conn}/postgres?sslmode=disable`,
        poolSize: 1,
        logger: new JsonLogger(service, logLevel),
        metrics,
        env: { ...process.env, LIVEPROMO_MODE: 'embedded', LOG_LEVEL: logLevel, PORT: '0', ...opts.env },
      }),
      entry.manifest,
    );
    docs[i] = document;
    rootLog.info('service started', { service, ms: Date.now() - started });
    return { service, bus, app, document };
  };
  // One after another: PGlite runs on this thread, so starting all at once only makes each wait longer.
  const started = [];
  for (const [i, entry] of SERVICES.entries()) started.push(await startOne(entry, i));
  for (const { service, bus, app, document } of started) {
    buses.set(service, bus);
    apps.set(service, app);
    routes.push(...routesOf(service, document));
  }
  routes.sort((a, b) => b.specificity - a.specificity);

  const document = mergeDocuments(docs);
  const parent = express();
  parent.disable('x-powered-by');
  // ids, cursors and query values with control characters (null bytes) or over-long: 400 before routing
  parent.use(rejectHostileUrl);
  parent.get('/health/live', (_req, res) => void res.json({ status: 'ok', mode: 'embedded' }));
  parent.get('/health/ready', (_req, res) => void res.json({ status: 'ok', mode: 'embedded', services: [...apps.keys()] }));
  parent.get('/metrics', async (_req, res) => {
    const texts = await Promise.all(metricsList.map((m) => m.registry.metrics()));
    res.setHeader('Content-Type', metricsList[0].registry.contentType);
    res.send(texts.join('\n'));
  });
  parent.get('/docs-json', (_req, res) => void res.json(document));
  if (process.env.LIVEPROMO_LOOP_PROBE === '1') {
    // test probe (off unless LIVEPROMO_LOOP_PROBE=1): the longest event-loop delay since the last reset, for the fuzz suite
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    parent.post('/debug/loop-delay/reset', (_req, res) => {
      loop.reset();
      res.json({ ok: true });
    });
    parent.get('/debug/loop-delay', (_req, res) => void res.json({ maxMs: loop.max / 1e6 }));
  }
  if (process.env.LIVEPROMO_DEBUG_STORES === '1') {
    // test probe (off unless LIVEPROMO_DEBUG_STORES=1): where a text occurs in any service's database rows or cache entries
    parent.get('/debug/stores', async (req: Request, res: Response) => {
      const text = typeof req.query.text === 'string' ? req.query.text : '';
      if (text.length < 3) return void res.status(400).json({ error: { code: 'validation_failed', message: 'text of 3+ characters', correlationId: correlationIdOf(req) } });
      const hits: { service: string; where: string; count: number }[] = [];
      for (const [i, entry] of SERVICES.entries()) {
        const service = entry.manifest.service;
        const { db } = pgServers[i];
        const tables = await db.query<{ s: string; t: string }>(
          `SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
        );
        for (const { s: schema, t } of tables.rows) {
          const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."${t}" x WHERE x::text LIKE $1`, [`%${text}%`]);
          if (r.rows[0].n > 0) hits.push({ service, where: `postgres ${schema}.${t}`, count: r.rows[0].n });
        }
        const cache = caches.get(service)!;
        const keys = await cache.scan('*', 100_000);
        const values = keys.length ? await cache.mget(keys) : [];
        const n = keys.filter((k, j) => k.includes(text) || (values[j] ?? '').includes(text)).length;
        if (n > 0) hits.push({ service, where: 'cache', count: n });
      }
      res.json({ text, hits });
    });
  }
  parent.use('/docs/assets', express.static(dirname(require.resolve('swagger-ui-dist/package.json'))));
  parent.get(['/docs', '/docs/'], (_req, res) => void res.type('html').send(swaggerHtml()));
  // the operator console (static page at /console/, calling the same REST on this origin)
  parent.use((req: Request, res: Response, next: NextFunction) => {
    if (!serveConsole(req, res)) next();
  });
  parent.use((req: Request, res: Response, next: NextFunction) => {
    const path = req.path;
    const hit = matchRoute(routes, req.method, path);
    const service = hit?.service ?? (path.startsWith('/v1/status') ? 'ingestion' : undefined);
    if (!service) return next();
    const handler = apps.get(service)!.getHttpAdapter().getInstance() as express.Express;
    handler(req, res, next);
  });
  parent.use((req: Request, res: Response) => {
    const correlationId = correlationIdOf(req);
    res.setHeader('X-Correlation-Id', correlationId);
    res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path.slice(0, 200)}`, correlationId } });
  });
  parent.use(expressErrorHandler(rootLog));

  const server = createServer(parent);
  await new Promise<void>((r) => server.listen(opts.port ?? 3000, opts.host ?? listenHost(), r));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  rootLog.info('livepromo embedded platform listening', { url, docs: `${url}/docs`, services: [...apps.keys()] });

  const idle = () => [...buses.values()][0].idle();
  return {
    url,
    port,
    server,
    log,
    buses,
    apps,
    document,
    idle,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      for (const app of [...apps.values()].reverse()) await app.close();
      for (const { server: s, db } of pgServers) {
        await s.stop();
        await db.close();
      }
    },
  };
}

function mergeDocuments(docs: OpenAPIObject[]): OpenAPIObject {
  const merged: OpenAPIObject = {
    openapi: docs[0]?.openapi ?? '3.0.0',
    info: {
      title: 'livepromo (embedded: all services)',
      version: docs[0]?.info.version ?? '0.1.0',
      description: `All seven livepromo services on one port.\n\n${ERROR_SCHEMA_DESCRIPTION}`,
    },
    paths: {},
    components: { schemas: {}, securitySchemes: {} },
    tags: [],
  };
  for (const d of docs) {
    for (const [p, item] of Object.entries(d.paths)) {
      if (merged.paths[p]) continue; // /v1/status exists in every service: keep the first
      merged.paths[p] = item;
    }
    Object.assign(merged.components!.schemas!, d.components?.schemas ?? {});
    Object.assign(merged.components!.securitySchemes!, d.components?.securitySchemes ?? {});
    for (const t of d.tags ?? []) if (!merged.tags!.some((x) => x.name === t.name)) merged.tags!.push(t);
  }
  return merged;
}

function swaggerHtml(): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>livepromo API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#ui' });</script></body></html>`;
}
