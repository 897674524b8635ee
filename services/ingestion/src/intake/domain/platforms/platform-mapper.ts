import { EventType, RejectionCode, Source } from '@livepromo/contracts';
import { ItemOutcome } from '../intake-result';

export type Bag = Record<string, unknown>;

/** What a platform mapper produces: an envelope without tenant/receivedAt (normaliseEnvelope adds them). */
export type MappedItem = { ok: true; item: Bag } | Extract<ItemOutcome, { ok: false }>;

export interface PlatformEventRule {
  type: EventType;
  /** Builds the canonical payload from the notification's content fields. */
  payload: (c: Bag) => Bag;
  /** Optional extra entity ids from the content (e.g. the course a click or order is about). */
  courseId?: (c: Bag) => unknown;
}

/** A platform's notification format, declared as data so it can be documented from the same table. */
export interface PlatformSpec {
  source: Source;
  /** Field holding the platform's event name. */
  eventField: string;
  /** How the notification's time is turned into ISO-8601. */
  occurredAt: (n: Bag) => string | undefined;
  /** Platform message id → eventId (`<platform>:<id>`); deterministic id when absent. */
  messageId: (n: Bag) => unknown;
  userId: (n: Bag, c: Bag) => unknown;
  streamerId: (n: Bag, c: Bag) => unknown;
  liveSessionId: (n: Bag, c: Bag) => unknown;
  /** The object holding event-specific fields (may be the notification itself). */
  content: (n: Bag) => Bag;
  events: Record<string, PlatformEventRule>;
  /** One line per mapping decision, for the OpenAPI description and the README. */
  notes: string;
}

export function bag(v: unknown): Bag {
  if (typeof v === 'string') {
    try {
      const parsed = JSON.parse(v) as unknown;
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Bag) : {};
    } catch {
      return {};
    }
  }
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Bag) : {};
}

/** Ids arrive as strings or numbers; canonical ids are strings. */
export function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function numOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function strOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Unix seconds → ISO (UTC). */
export function fromUnixSec(v: unknown): string | undefined {
  const n = numOf(v);
  return n === undefined ? undefined : new Date(n * 1000).toISOString();
}

/** Unix milliseconds → ISO (UTC). */
export function fromUnixMs(v: unknown): string | undefined {
  const n = numOf(v);
  return n === undefined ? undefined : new Date(n).toISOString();
}

/** `YYYY-MM-DD HH:mm:ss` in China time (how Taobao stamps messages) → ISO with +08:00. */
export function fromChinaLocal(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(v.trim());
  return m ? `${m[1]}T${m[2]}+08:00` : undefined;
}

/** Integer fen → CNY money. */
export function fen(v: unknown): { amountMinor: number; currency: 'CNY' } | undefined {
  const n = numOf(v);
  return n === undefined ? undefined : { amountMinor: Math.round(n), currency: 'CNY' };
}

/** Yuan as a decimal string ("99.90") → CNY money in fen, exactly (no float arithmetic on the string). */
export function yuan(v: unknown): { amountMinor: number; currency: 'CNY' } | undefined {
  const s = typeof v === 'number' ? v.toFixed(2) : typeof v === 'string' ? v.trim() : '';
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return undefined;
  const minor = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return { amountMinor: m[1] ? -minor : minor, currency: 'CNY' };
}

/** Drops undefined fields so the payload is what the platform actually sent. */
export function compact(o: Bag): Bag {
  const out: Bag = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** Applies a spec to one notification. */
export function mapWithSpec(spec: PlatformSpec, input: unknown): MappedItem {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, code: RejectionCode.SchemaViolation, message: `${spec.source} notification must be a JSON object` };
  }
  const n = input as Bag;
  const name = strOf(n[spec.eventField]);
  const rule = name !== undefined ? spec.events[name] : undefined;
  if (!rule) {
    return {
      ok: false,
      code: 'unknown_platform_event',
      message: `${spec.source} event ${JSON.stringify(n[spec.eventField] ?? null)} (field ${spec.eventField}) has no mapping; known: ${Object.keys(spec.events).join(', ')}`,
    };
  }
  const c = spec.content(n);
  const msgId = idOf(spec.messageId(n));
  return {
    ok: true,
    item: compact({
      eventId: msgId ? `${spec.source}:${msgId}` : undefined,
      type: rule.type,
      source: spec.source,
      occurredAt: spec.occurredAt(n),
      userId: idOf(spec.userId(n, c)),
      streamerId: idOf(spec.streamerId(n, c)),
      liveSessionId: idOf(spec.liveSessionId(n, c)),
      courseId: rule.courseId ? idOf(rule.courseId(c)) : undefined,
      payload: compact(rule.payload(c)),
    }),
  };
}
