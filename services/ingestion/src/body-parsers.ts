import express, { NextFunction, Request, Response } from 'express';
import { DomainError, ErrorCode, jsonTextExceedsDepth, jsonTooDeep, rejectDeepJson } from '@livepromo/service-kit';

/**
 * The batch route parses deeper documents than MAX_JSON_DEPTH so that one over-deep item is rejected
 * alone (per item, in IngestEventsUseCase); beyond this the whole body is refused (400 json_too_deep).
 */
export const BATCH_BODY_MAX_DEPTH = 10_000;

function rejectVeryDeepBatch(_req: unknown, _res: unknown, buf: Buffer): void {
  if (jsonTextExceedsDepth(buf, BATCH_BODY_MAX_DEPTH)) throw jsonTooDeep(BATCH_BODY_MAX_DEPTH);
}

/**
 * Maps body-parser's "invalid JSON" to 400 `malformed_json`. (Nest's router turns body-parser's
 * SyntaxError into a plain BadRequestException before the platform's error handler sees it, which would
 * answer `validation_failed`; converting it here keeps the documented code.)
 */
function malformedJson(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const e = err as { type?: string; message?: string };
  if (e && typeof e === 'object' && e.type === 'entity.parse.failed') {
    next(new DomainError(ErrorCode.MalformedJson, `request body is not valid JSON: ${e.message ?? ''}`.trim()));
    return;
  }
  next(err);
}

/**
 * Body parsers installed before the platform's JSON parser (createServiceApp's `configureBody`):
 * webhooks keep their raw bytes (the HMAC is over the exact body), the batch route also reads NDJSON as
 * text, and JSON is parsed here so that invalid JSON answers `malformed_json`. All obey
 * HTTP_BODY_LIMIT_BYTES (413 beyond).
 */
export function configureIngestionBody(app: express.Express, limitBytes: number): void {
  app.use('/v1/webhooks', express.raw({ type: () => true, limit: limitBytes }));
  app.use('/v1/events/batch', express.text({ type: ['application/x-ndjson', 'application/jsonl', 'application/ndjson'], limit: limitBytes }));
  app.use('/v1/events/batch', express.json({ limit: limitBytes, type: ['application/json', 'application/*+json'], verify: rejectVeryDeepBatch }), malformedJson);
  app.use(express.json({ limit: limitBytes, type: ['application/json', 'application/*+json'], verify: rejectDeepJson }), malformedJson);
}
