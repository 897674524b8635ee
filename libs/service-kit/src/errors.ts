/** Error codes shared by every service; a service may add its own with an explicit status. */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  MalformedJson = 'malformed_json',
  /** A JSON body nested deeper than MAX_JSON_DEPTH (64) levels. */
  JsonTooDeep = 'json_too_deep',
  /** A JSON string holding a null character (U+0000), which Postgres cannot store. */
  InvalidText = 'invalid_text',
  /** An id, cursor or other URL value with control characters (e.g. a null byte) or over MAX_ID_LENGTH. */
  InvalidIdentifier = 'invalid_identifier',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  PayloadTooLarge = 'payload_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  RateLimited = 'rate_limited',
  Unavailable = 'unavailable',
  Internal = 'internal',
}

export const DEFAULT_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.MalformedJson]: 400,
  [ErrorCode.JsonTooDeep]: 400,
  [ErrorCode.InvalidIdentifier]: 400,
  [ErrorCode.InvalidText]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.Internal]: 500,
};

/**
 * A domain error: carries a machine-readable code; the transport filter maps it to a status.
 * Domain code throws these and imports nothing from Nest.
 */
export class DomainError extends Error {
  readonly status: number;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(
    readonly code: ErrorCode | string,
    message: string,
    opts: { status?: number; details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.status = opts.status ?? DEFAULT_STATUS[code as ErrorCode] ?? 500;
    this.details = opts.details;
    this.headers = opts.headers;
  }
}

/** The one JSON shape of every HTTP error across services. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; correlationId: string };
}
