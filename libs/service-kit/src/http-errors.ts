import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { JsonLogger } from '@livepromo/observability';
import { DomainError, ErrorBody, ErrorCode } from './errors';

export function correlationIdOf(req: Request): string {
  const r = req as Request & { correlationId?: string };
  if (!r.correlationId) {
    const given = req.headers['x-correlation-id'];
    r.correlationId = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
  }
  return r.correlationId;
}

const STATUS_CODE: Record<number, string> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  405: 'method_not_allowed',
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
  503: ErrorCode.Unavailable,
};

/** Maps anything thrown to `{ error: { code, message, details?, correlationId } }` and a status. */
export function toErrorResponse(err: unknown, correlationId: string, log?: JsonLogger): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (err instanceof DomainError) {
    return {
      status: err.status,
      headers: err.headers,
      body: { error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}), correlationId } },
    };
  }
  // body-parser errors (malformed JSON, too large, bad charset)
  const e = err as { type?: string; status?: number; message?: string; limit?: number; length?: number };
  if (e && typeof e === 'object' && typeof e.type === 'string') {
    if (e.type === 'entity.parse.failed') {
      return { status: 400, body: { error: { code: ErrorCode.MalformedJson, message: `request body is not valid JSON: ${e.message ?? ''}`.trim(), correlationId } } };
    }
    if (e.type === 'entity.too.large') {
      return {
        status: 413,
        body: { error: { code: ErrorCode.PayloadTooLarge, message: `request body exceeds the limit of ${e.limit} bytes`, details: { limitBytes: e.limit, lengthBytes: e.length }, correlationId } },
      };
    }
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
      return { status: 415, body: { error: { code: ErrorCode.UnsupportedMediaType, message: e.message ?? 'unsupported encoding', correlationId } } };
    }
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const resp = err.getResponse();
    const message = typeof resp === 'string' ? resp : ((resp as { message?: string | string[] }).message ?? err.message);
    return {
      status,
      body: { error: { code: STATUS_CODE[status] ?? (status >= 500 ? ErrorCode.Internal : 'http_error'), message: Array.isArray(message) ? message.join('; ') : String(message), correlationId } },
    };
  }
  log?.error('unhandled error', { correlationId, error: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
  return { status: 500, body: { error: { code: ErrorCode.Internal, message: 'internal error; quote the correlationId when reporting it', correlationId } } };
}

/** body-parser's errors (malformed JSON, too large, bad charset) as DomainErrors with our codes. */
export function bodyParserError(err: unknown): unknown {
  const e = err as { type?: string; message?: string; limit?: number; length?: number };
  if (!e || typeof e !== 'object' || typeof e.type !== 'string') return err;
  if (e.type === 'entity.parse.failed') return new DomainError(ErrorCode.MalformedJson, `request body is not valid JSON: ${e.message ?? ''}`.trim());
  if (e.type === 'entity.too.large') {
    return new DomainError(ErrorCode.PayloadTooLarge, `request body exceeds the limit of ${e.limit} bytes`, { details: { limitBytes: e.limit, lengthBytes: e.length } });
  }
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') return new DomainError(ErrorCode.UnsupportedMediaType, e.message ?? 'unsupported encoding');
  return err;
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly log: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const { status, body, headers } = toErrorResponse(exception, correlationIdOf(req), this.log);
    if (res.headersSent) return;
    if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.status(status).json(body);
  }
}

/** Express error middleware for errors raised before Nest's router (body parsing). */
export function expressErrorHandler(log: JsonLogger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const { status, body, headers } = toErrorResponse(err, correlationIdOf(req), log);
    if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.status(status).json(body);
  };
}
