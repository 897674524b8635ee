import { RawEvent, RejectionCode, ValidationIssue } from '@livepromo/contracts';

/** Why one item was refused (the contracts' codes plus ingestion's own). */
export type IntakeRejectionCode = RejectionCode | 'tenant_mismatch' | 'unknown_platform_event' | 'json_too_deep' | 'invalid_text';

export type ItemOutcome = { ok: true; event: RawEvent } | { ok: false; code: IntakeRejectionCode; message: string; issues?: ValidationIssue[] };

/** What a client learns about each item of a batch, in order. */
export type ItemResult =
  | { index: number; status: 'accepted'; eventId: string; duplicateInBatch?: true }
  | { index: number; status: 'rejected'; code: IntakeRejectionCode; message: string; issues?: ValidationIssue[] };

/** accepted + duplicates + rejected = the number of items submitted. */
export interface BatchResult {
  /** Distinct events written to Kafka. */
  accepted: number;
  /** Items repeating an earlier item's eventId in the same batch (listed as accepted with duplicateInBatch, written once). */
  duplicates: number;
  rejected: number;
  results: ItemResult[];
}
