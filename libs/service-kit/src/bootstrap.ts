import { INestApplication, RequestMethod, Type, DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import { JsonLogger, Metrics } from '@livepromo/observability';
import { BaseConfig } from './config';
import { bodyParserError, correlationIdOf, expressErrorHandler, HttpErrorFilter } from './http-errors';
import { jsonTextProblem, jsonTooDeep, MAX_JSON_DEPTH, nulInJson, rejectHostileUrl } from './hostile-input';
import { CONFIG } from './tokens';

export interface ServiceAppOptions {
  service: string;
  title: string;
  description: string;
  version?: string;
  /** Extra body parsers (e.g. NDJSON as text) installed before the JSON one. */
  configureBody?: (app: express.Express, limitBytes: number) => void;
}

export const ERROR_SCHEMA_DESCRIPTION =
  'Every error has one JSON shape: `{ "error": { "code", "message", "details"?, "correlationId" } }`. ' +
  'Codes: validation_failed / malformed_json / json_too_deep (nesting over 64 levels) / invalid_text (a \\u0000 in a string) / invalid_identifier (control characters or over 512 characters in an id, cursor or query value) (400), unauthorized (401), forbidden (403), not_found (404), ' +
  'conflict (409), payload_too_large (413), unsupported_media_type (415), rate_limited (429, with Retry-After), ' +
  'unavailable (503), internal (500). Send `X-Correlation-Id` to have it echoed.';

/** Builds a configured Nest app (not listening): body limits, errors, /v1 prefix, OpenAPI at /docs. */
export async function createServiceApp(module: Type<unknown> | DynamicModule, opts: ServiceAppOptions): Promise<{ app: INestApplication; document: OpenAPIObject }> {
  const app = await NestFactory.create(module, { bodyParser: false, bufferLogs: true, abortOnError: false });
  const log = app.get(JsonLogger);
  app.useLogger(log);
  const config = app.get<BaseConfig>(CONFIG);
  const metrics = app.get(Metrics);
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  http.set('etag', false);

  http.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Correlation-Id', correlationIdOf(req));
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const matched = (req as unknown as { route?: { path?: unknown } }).route;
      const route = typeof matched?.path === 'string' ? matched.path : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc({ method: req.method, route: req.baseUrl + route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method, route: req.baseUrl + route }, seconds);
    });
    next();
  });
  http.use(rejectHostileUrl);
  opts.configureBody?.(http, config.HTTP_BODY_LIMIT_BYTES);
  const json = express.json({ limit: config.HTTP_BODY_LIMIT_BYTES, type: ['application/json', 'application/*+json'], verify: rejectDeepJson });
  // Nest turns body-parser's errors into a generic 400; map them to our codes before it sees them.
  http.use((req: Request, res: Response, next: NextFunction) => json(req, res, (err?: unknown) => next(err ? bodyParserError(err) : undefined)));

  app.setGlobalPrefix('v1', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalFilters(new HttpErrorFilter(log));
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(opts.title)
      .setDescription(`${opts.description}\n\n${ERROR_SCHEMA_DESCRIPTION}`)
      .setVersion(opts.version ?? '0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'tenant API key' }, 'tenant-key')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Operator-Token' }, 'operator-token')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  await app.init();
  http.use(expressErrorHandler(log));
  return { app, document };
}

/**
 * body-parser `verify` hook: refuses a JSON body nested deeper than MAX_JSON_DEPTH before it is
 * parsed (one linear pass over the bytes), as 400 `json_too_deep` naming the limit, and one whose
 * strings hold \u0000 (no Postgres text can store it), as 400 `invalid_text`.
 */
export function rejectDeepJson(_req: unknown, _res: unknown, buf: Buffer): void {
  const problem = jsonTextProblem(buf, MAX_JSON_DEPTH);
  if (problem === 'too_deep') throw jsonTooDeep(MAX_JSON_DEPTH);
  if (problem === 'nul') throw nulInJson();
}

/** Host to listen on: `HOST` when set, else 127.0.0.1 (nothing listens beyond this machine unless configured). */
export function listenHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOST && env.HOST.trim() ? env.HOST.trim() : '127.0.0.1';
}

/** Starts a service: listens on PORT, logs where, exits non-zero with a clear message on bad config. */
export async function runService(module: () => Type<unknown> | DynamicModule, opts: ServiceAppOptions): Promise<INestApplication> {
  try {
    const { app } = await createServiceApp(module(), opts);
    const config = app.get<BaseConfig>(CONFIG);
    const host = listenHost();
    await app.listen(config.PORT, host);
    app.get(JsonLogger).info(`${opts.service} listening`, { host, port: config.PORT, docs: `http://127.0.0.1:${config.PORT}/docs` });
    return app;
  } catch (e) {
    process.stderr.write(`${opts.service} failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
