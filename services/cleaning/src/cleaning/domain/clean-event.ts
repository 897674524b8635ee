import {
  CanonicalEvent,
  DERIVED_EVENT_TYPES,
  isEventType,
  RawEvent,
  RejectionCode,
  SOURCES,
  validateCanonicalEvent,
} from '@livepromo/contracts';
import { Money, normaliseMoney, toCnyMinor } from './normalise-money';
import { normaliseStrings } from './normalise-text';
import { normaliseTimestamp } from './normalise-timestamp';

/**
 * Reason codes cleaning adds to the shared `RejectionCode` values (documented in the README):
 * - `unknown_currency`: a money field in a currency the FX table cannot convert to CNY (dead-lettered; replay after adding the rate);
 * - `duplicate_event_id`, `duplicate_fingerprint`: counted, not published, not dead-lettered;
 * - `test_account`: the user is on the tenant's test-account list (counted, not published);
 * - `bot_traffic`: a bot/fraud signal fired (counted per session and signal, not published);
 * - `erased_user`: the user was erased (`user.erased`) and the event happened at or before the erasure
 *   (counted, not published; the discard row keeps no user id). See `predatesErasure`.
 */
export const CleaningCode = {
  UnknownCurrency: 'unknown_currency',
  DuplicateEventId: 'duplicate_event_id',
  DuplicateFingerprint: 'duplicate_fingerprint',
  TestAccount: 'test_account',
  BotTraffic: 'bot_traffic',
  ErasedUser: 'erased_user',
} as const;
export type CleaningCode = (typeof CleaningCode)[keyof typeof CleaningCode];

/** The knobs of the pure cleaning step (from the service config). */
export interface CleaningPolicy {
  maxEventBytes: number;
  defaultCurrency: string;
  fxToCny: Readonly<Record<string, number>>;
  /** Offset for zone-less local times in payload timestamps, minutes east of UTC. */
  naiveOffsetMinutes: number;
  /** receivedAt − occurredAt above this marks the event `late: true`. */
  onTimeMs: number;
  /** receivedAt − occurredAt above this dead-letters it as `too_late`. */
  allowedLatenessMs: number;
  /** occurredAt − receivedAt above this dead-letters it as `future_timestamp`. */
  futureSkewMs: number;
  /** Longest plausible live watch time, seconds. */
  maxSessionSec: number;
}

/** Which payload fields hold money, per type. */
export const MONEY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'cart.added': ['price'],
  'order.created': ['price', 'discount'],
  'order.paid': ['amount', 'discount'],
  'order.refunded': ['amount'],
  'live.gift.sent': ['value'],
  'live.coupon.claimed': ['value'],
  'cost.ad_spend': ['amount'],
  'cost.streamer_fee': ['amount'],
  'cost.platform_fee': ['amount'],
};

/** Which payload fields hold timestamps, per type. */
export const TIMESTAMP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'live.session.started': ['scheduledEndAt'],
};

export interface Rejection {
  ok: false;
  code: RejectionCode | CleaningCode;
  message: string;
  details?: unknown;
}

export interface Accepted {
  ok: true;
  event: CanonicalEvent;
  occurredAtMs: number;
  /** Sum of the event's money fields in CNY fen (FX table), for metrics; 0 when none. */
  cnyMinor: number;
}

export type CleanVerdict = Accepted | Rejection;

const reject = (code: RejectionCode | CleaningCode, message: string, details?: unknown): Rejection => ({ ok: false, code, message, details });

/**
 * The stateless part of cleaning, in order: size → type → source → timestamps (UTC) → text (NFKC)
 * → money (minor units) → schema (contracts) → impossible values → future / lateness (live events only:
 * `ingest.mode = backfill` events are history and skip the lateness window; the future check applies to all).
 * Deterministic: depends on the event and the policy only (lateness is measured against the
 * event's own receivedAt, so a redelivery or a replay gets the same verdict).
 */
export function cleanRawEvent(raw: RawEvent, rawBytes: number, policy: CleaningPolicy): CleanVerdict {
  if (rawBytes > policy.maxEventBytes) {
    return reject(RejectionCode.SizeViolation, `event is ${rawBytes} bytes, above the ${policy.maxEventBytes}-byte limit`, { bytes: rawBytes, limit: policy.maxEventBytes });
  }
  if (!isEventType(raw.type) || (DERIVED_EVENT_TYPES as readonly string[]).includes(raw.type)) {
    return reject(RejectionCode.UnknownType, `unknown event type ${JSON.stringify(raw.type)}`);
  }
  if (!(SOURCES as readonly string[]).includes(raw.source)) {
    return reject(RejectionCode.UnknownSource, `unknown source ${JSON.stringify(raw.source)}; known: ${SOURCES.join(', ')}`);
  }
  const occurred = normaliseTimestamp(raw.occurredAt, policy.naiveOffsetMinutes);
  if (!occurred.ok) return reject(RejectionCode.FormatViolation, `occurredAt: ${occurred.message}`, { path: 'occurredAt' });
  const received = normaliseTimestamp(raw.receivedAt, policy.naiveOffsetMinutes);
  if (!received.ok) return reject(RejectionCode.FormatViolation, `receivedAt: ${received.message}`, { path: 'receivedAt' });

  const payload = normaliseStrings(raw.payload) as Record<string, unknown>;
  for (const field of TIMESTAMP_FIELDS[raw.type] ?? []) {
    if (payload[field] === undefined) continue;
    const t = normaliseTimestamp(payload[field], policy.naiveOffsetMinutes);
    if (!t.ok) return reject(RejectionCode.FormatViolation, `payload.${field}: ${t.message}`, { path: `payload.${field}` });
    payload[field] = t.iso;
  }
  let cnyMinor = 0;
  const siblingCurrency = typeof payload.currency === 'string' ? payload.currency : policy.defaultCurrency;
  for (const field of MONEY_FIELDS[raw.type] ?? []) {
    if (payload[field] === undefined) continue;
    const m = normaliseMoney(payload[field], siblingCurrency);
    if (!m.ok) return reject(RejectionCode.FormatViolation, `payload.${field}: ${m.message}`, { path: `payload.${field}` });
    const money: Money = m.money;
    if (money.amountMinor < 0) {
      return reject(RejectionCode.ImpossibleValue, `payload.${field} is negative (${money.amountMinor} ${money.currency} minor units)`, { path: `payload.${field}` });
    }
    const cny = toCnyMinor(money, policy.fxToCny);
    if (cny === null) {
      return reject(CleaningCode.UnknownCurrency, `payload.${field}: no FX rate from ${money.currency} to CNY (configure FX_TO_CNY, then replay)`, {
        path: `payload.${field}`,
        currency: money.currency,
      });
    }
    cnyMinor += cny;
    payload[field] = money;
  }
  if (MONEY_FIELDS[raw.type]) delete payload.currency;

  const candidate = { ...raw, occurredAt: occurred.iso, receivedAt: received.iso, payload };
  delete (candidate as { late?: boolean }).late;
  const v = validateCanonicalEvent(candidate);
  if (!v.ok) return reject(v.code, v.message, { issues: v.issues });
  const event = v.value;

  if (event.type === 'live.room.left' && event.payload.watchSec > policy.maxSessionSec) {
    return reject(RejectionCode.ImpossibleValue, `watchSec ${event.payload.watchSec} exceeds the longest plausible session (${policy.maxSessionSec} s)`, { path: 'payload.watchSec' });
  }
  if (event.type === 'live.session.ended' && (event.payload.durationSec ?? 0) > policy.maxSessionSec) {
    return reject(RejectionCode.ImpossibleValue, `durationSec ${event.payload.durationSec} exceeds ${policy.maxSessionSec} s`, { path: 'payload.durationSec' });
  }
  const ahead = occurred.ms - received.ms;
  if (ahead > policy.futureSkewMs) {
    return reject(RejectionCode.FutureTimestamp, `occurredAt is ${ahead} ms after receivedAt (allowed skew ${policy.futureSkewMs} ms)`, { aheadMs: ahead });
  }
  const lag = received.ms - occurred.ms;
  // a backfill (import job, batch ?mode=backfill) is history by definition: no live lateness window
  if (event.ingest?.mode === 'backfill') return { ok: true, event, occurredAtMs: occurred.ms, cnyMinor };
  if (lag > policy.allowedLatenessMs) {
    return reject(RejectionCode.TooLate, `arrived ${lag} ms after it happened (allowed lateness ${policy.allowedLatenessMs} ms)`, { lagMs: lag });
  }
  if (lag > policy.onTimeMs) event.late = true;
  return { ok: true, event, occurredAtMs: occurred.ms, cnyMinor };
}

/**
 * An event of an erased user that happened at or before the erasure (occurredAt ≤ erasedAt) must not bring the
 * user back: it is discarded as `erased_user`. An event after the erasure passes: a user who comes back after
 * being erased starts anew. `erasedAtMs` is null when the user has no tombstone.
 */
export function predatesErasure(occurredAtMs: number, erasedAtMs: number | null): boolean {
  return erasedAtMs !== null && occurredAtMs <= erasedAtMs;
}

/**
 * Watch time longer than the session so far: `watchSec` > (left − sessionStarted) + skew.
 * Needs the session start (kept by the service); null when unknown.
 */
export function watchLongerThanSession(watchSec: number, leftAtMs: number, sessionStartMs: number | null, skewMs: number): boolean {
  if (sessionStartMs === null) return false;
  return watchSec * 1000 > leftAtMs - sessionStartMs + skewMs;
}
