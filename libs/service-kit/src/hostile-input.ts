import type { NextFunction, Request, Response } from 'express';
import { DomainError, ErrorCode } from './errors';

/**
 * Limits every service applies to hostile or careless input before any route sees it (issue #18).
 * Each check is linear in the input and never recursive, so a crafted body or URL costs at most one
 * pass over its bytes and cannot overflow the stack.
 */
export const MAX_JSON_DEPTH = 64;
/** Longest path segment or query value (ids, cursors, dates) accepted, in UTF-16 code units. */
export const MAX_ID_LENGTH = 512;

// C0 controls (incl. NUL), DEL and C1 controls: never part of an id, cursor or query value.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The error for a JSON document nested deeper than the limit (400 `json_too_deep`). */
export function jsonTooDeep(limit = MAX_JSON_DEPTH, where = 'request body'): DomainError {
  return new DomainError(ErrorCode.JsonTooDeep, `${where} nests JSON deeper than ${limit} levels (arrays and objects)`, { details: { maxDepth: limit } });
}

/** The error for a JSON string holding U+0000, which no Postgres text or jsonb value can store (400 `invalid_text`). */
export function nulInJson(where = 'request body'): DomainError {
  return new DomainError(ErrorCode.InvalidText, `${where} holds a null character (\\u0000) in a string; it cannot be stored`, { details: { reason: 'nul_character' } });
}

/**
 * True when the JSON text nests arrays/objects deeper than `limit`. One pass over the bytes,
 * skipping strings (with escapes); stops at the first level beyond the limit.
 */
export function jsonTextExceedsDepth(buf: Uint8Array, limit = MAX_JSON_DEPTH): boolean {
  return jsonTextProblem(buf, limit, false) === 'too_deep';
}

/**
 * One pass over JSON text: `too_deep` when arrays/objects nest deeper than `limit`, `nul` when a
 * string holds the escape \u0000 (checked when `checkNul`), else null.
 */
export function jsonTextProblem(buf: Uint8Array | string, limit = MAX_JSON_DEPTH, checkNul = true): 'too_deep' | 'nul' | null {
  if (typeof buf === 'string') return jsonTextProblemOf((i) => buf.charCodeAt(i), buf.length, limit, checkNul);
  return jsonTextProblemOf((i) => buf[i], buf.length, limit, checkNul);
}

function jsonTextProblemOf(at: (i: number) => number, length: number, limit: number, checkNul: boolean): 'too_deep' | 'nul' | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < length; i++) {
    const c = at(i);
    if (inString) {
      if (c === 0x5c) {
        // backslash: \u0000 is a null character; otherwise skip the escaped byte
        if (checkNul && at(i + 1) === 0x75 && at(i + 2) === 0x30 && at(i + 3) === 0x30 && at(i + 4) === 0x30 && at(i + 5) === 0x30) return 'nul';
        i++;
      } else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return 'too_deep';
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return null;
}

/** True when a parsed value nests arrays/objects deeper than `limit` (iterative, no recursion). */
export function valueExceedsDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  return valueProblem(value, limit, false) === 'too_deep';
}

/**
 * One iterative walk over a parsed value: `too_deep` beyond `limit` levels, `nul` when a string
 * (value or key) holds U+0000 (checked when `checkNul`), else null.
 */
export function valueProblem(value: unknown, limit = MAX_JSON_DEPTH, checkNul = true): 'too_deep' | 'nul' | null {
  if (checkNul && typeof value === 'string') return value.includes('\u0000') ? 'nul' : null;
  const stack: { v: unknown; d: number }[] = [{ v: value, d: 0 }];
  while (stack.length) {
    const { v, d } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > limit) return 'too_deep';
    const isArray = Array.isArray(v);
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (checkNul && ((!isArray && k.includes('\u0000')) || (typeof child === 'string' && child.includes('\u0000')))) return 'nul';
      if (child !== null && typeof child === 'object') stack.push({ v: child, d: depth });
    }
  }
  return null;
}

/** Why an id, cursor or other URL value is refused, or null when it is acceptable. */
export function idProblem(value: string, maxLength = MAX_ID_LENGTH): string | null {
  if (CONTROL.test(value)) return 'contains a control character (e.g. a null byte)';
  if (value.length > maxLength) return `is longer than ${maxLength} characters`;
  return null;
}

/**
 * Express middleware (installed by createServiceApp for every route): each path segment, after
 * percent-decoding, and every query value must be text without control characters and at most
 * MAX_ID_LENGTH long; otherwise 400 `invalid_identifier` naming the part. This is where null bytes in
 * ids and cursors stop, before any database sees them.
 */
export function rejectHostileUrl(req: Request, _res: Response, next: NextFunction): void {
  const problem = urlProblem(req);
  if (problem) {
    next(new DomainError(ErrorCode.InvalidIdentifier, `${problem.where} ${problem.why}`, { details: { where: problem.where, maxLength: MAX_ID_LENGTH } }));
    return;
  }
  next();
}

function urlProblem(req: Request): { where: string; why: string } | null {
  const raw = (req.originalUrl ?? req.url ?? '').split('?')[0];
  const segments = raw.split('/');
  for (let i = 0; i < segments.length; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segments[i]);
    } catch {
      return { where: `path segment ${i}`, why: 'is not valid percent-encoded UTF-8' };
    }
    const why = idProblem(decoded);
    if (why) return { where: `path segment ${i}`, why };
  }
  const pending: { where: string; v: unknown }[] = Object.entries((req.query ?? {}) as Record<string, unknown>).map(([k, v]) => ({ where: `query parameter ${JSON.stringify(k.slice(0, 64))}`, v }));
  let seen = 0;
  while (pending.length) {
    const { where, v } = pending.pop()!;
    if (++seen > 1000) return { where: 'query string', why: 'has too many parameters' };
    if (typeof v === 'string') {
      const why = idProblem(v);
      if (why) return { where, why };
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        const keyWhy = idProblem(k);
        if (keyWhy) return { where, why: keyWhy };
        pending.push({ where, v: child });
      }
    }
  }
  return null;
}
