import { z } from 'zod';
import { CanonicalEvent, envelopeSchemas, rawEventSchema, RawEvent } from './events/canonical-event';
import { isEventType } from './events/payloads';

/** Machine-readable reasons an event can be refused or dead-lettered. */
export enum RejectionCode {
  MalformedJson = 'malformed_json',
  SchemaViolation = 'schema_violation',
  UnknownType = 'unknown_type',
  SizeViolation = 'size_violation',
  FormatViolation = 'format_violation',
  ImpossibleValue = 'impossible_value',
  TooLate = 'too_late',
  FutureTimestamp = 'future_timestamp',
  UnknownSource = 'unknown_source',
  HandlerFailed = 'handler_failed',
}

export interface ValidationIssue {
  path: string;
  message: string;
}

export type ValidationResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: RejectionCode; message: string; issues: ValidationIssue[] };

export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

function fail(code: RejectionCode, message: string, issues: ValidationIssue[] = []): ValidationResult<never> {
  return { ok: false, code, message, issues };
}

/** Validates a full canonical event (type known, payload typed). */
export function validateCanonicalEvent(input: unknown): ValidationResult<CanonicalEvent> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail(RejectionCode.SchemaViolation, 'event must be a JSON object');
  }
  const type = (input as { type?: unknown }).type;
  if (!isEventType(type)) {
    return fail(RejectionCode.UnknownType, `unknown event type: ${JSON.stringify(type)}`, [
      { path: 'type', message: 'not a canonical event type' },
    ]);
  }
  const parsed = envelopeSchemas[type].safeParse(input);
  if (!parsed.success) {
    const issues = toIssues(parsed.error);
    return fail(RejectionCode.SchemaViolation, `invalid ${type}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return { ok: true, value: parsed.data };
}

/** Validates the envelope only (payload left for cleaning). */
export function validateRawEvent(input: unknown): ValidationResult<RawEvent> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail(RejectionCode.SchemaViolation, 'event must be a JSON object');
  }
  const parsed = rawEventSchema.safeParse(input);
  if (!parsed.success) {
    const issues = toIssues(parsed.error);
    return fail(RejectionCode.SchemaViolation, `invalid envelope: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return { ok: true, value: parsed.data };
}
