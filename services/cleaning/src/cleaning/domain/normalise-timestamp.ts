/**
 * Timestamps from any platform → UTC ISO-8601 with milliseconds (`2026-11-28T02:00:00.000Z`).
 *
 * Accepted forms:
 * - ISO-8601 / RFC 3339 with any offset (`Z`, `+08:00`, `+0800`, `UTC`, `GMT`), `T` or space separator,
 *   fractional seconds of any precision (truncated to ms);
 * - ISO-like local times without a zone, read at `naiveOffsetMinutes` (platforms in China send +08:00);
 * - epoch numbers or numeric strings; the unit is inferred from the magnitude:
 *   < 1e11 seconds (until year 5138), < 1e14 milliseconds, < 1e17 microseconds.
 */
export type TimestampResult = { ok: true; iso: string; ms: number } | { ok: false; message: string };

const ISO_LIKE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;
const NUMERIC = /^\d+(?:\.\d+)?$/;

/** Smallest and largest instants we accept at all (2000-01-01 .. 2200-01-01); the rest is a unit mix-up. */
const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

export function epochToMs(value: number): number | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  if (value < 1e11) return Math.trunc(value * 1000);
  if (value < 1e14) return Math.trunc(value);
  if (value < 1e17) return Math.trunc(value / 1000);
  return null;
}

function ok(ms: number): TimestampResult {
  if (ms < MIN_MS || ms > MAX_MS) return { ok: false, message: `timestamp ${new Date(ms).toISOString()} outside 2000..2200` };
  return { ok: true, ms, iso: new Date(ms).toISOString() };
}

function offsetMinutes(zone: string | undefined, naiveOffsetMinutes: number): number {
  if (zone === undefined) return naiveOffsetMinutes;
  if (zone === 'Z' || zone === 'z' || zone === 'UTC' || zone === 'GMT') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const h = Number(digits.slice(0, 2));
  const m = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (h * 60 + m);
}

/** Already canonical (`2026-11-28T02:00:00.000Z`): the hot path for envelopes, checked without re-formatting. */
const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):\d{2}:\d{2}\.\d{3}Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function canonical(s: string): TimestampResult | null {
  const m = CANONICAL.exec(s);
  if (!m) return null;
  const ms = Date.parse(s);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const dim = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (Number.isNaN(ms) || dim === undefined || day < 1 || day > dim || Number(m[4]) > 23 || ms < MIN_MS || ms > MAX_MS) return null;
  return { ok: true, ms, iso: s };
}

export function normaliseTimestamp(input: unknown, naiveOffsetMinutes = 480): TimestampResult {
  if (typeof input === 'string') {
    const fast = canonical(input);
    if (fast) return fast;
  }
  if (typeof input === 'number') {
    const ms = epochToMs(input);
    return ms === null ? { ok: false, message: `epoch value ${input} is not seconds, milliseconds or microseconds` } : ok(ms);
  }
  if (typeof input !== 'string') return { ok: false, message: `timestamp must be a string or a number, got ${typeof input}` };
  const s = input.normalize('NFKC').trim();
  if (NUMERIC.test(s)) return normaliseTimestamp(Number(s), naiveOffsetMinutes);
  const m = ISO_LIKE.exec(s);
  if (!m) return { ok: false, message: `unrecognised timestamp ${JSON.stringify(input.slice(0, 64))}` };
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = sec === undefined ? 0 : Number(sec);
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return { ok: false, message: `invalid date/time ${JSON.stringify(s)}` };
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(local).getUTCDate() !== day) return { ok: false, message: `invalid day in ${JSON.stringify(s)}` };
  return ok(local - offsetMinutes(zone, naiveOffsetMinutes) * 60_000);
}

/** Parses `+08:00` / `-05:30` / `Z` into minutes east of UTC (for configuration). */
export function parseOffset(value: string): number | null {
  if (value === 'Z' || value === 'UTC') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(value);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}
