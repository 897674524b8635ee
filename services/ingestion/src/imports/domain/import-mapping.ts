import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SOURCES } from '@livepromo/contracts';
import { parseCsvRecord as parseCsvFields } from './record-reader';

/**
 * How a column (CSV) or key (JSONL, dotted paths allowed) becomes a field of the envelope:
 * - `"col"` or `{ column }`: the cell as a string; empty cells are left out (or `default`);
 * - `convert`: `string` | `int` | `number` | `minor` (decimal → integer minor units ×100, exact) |
 *   `timestamp` (ISO, `YYYY-MM-DD HH:MM:SS[ UTC|+08:00]`, unix s or ms → ISO-8601) | `bool` | `split:<sep>` (→ array);
 * - `values`: a lookup table for the cell (e.g. view → course.viewed); a value outside it rejects the row (`unmapped_value`);
 *   `id` (an id written as a number: `"17850.0"` → `"17850"`) | `steps:<seconds>:<ISO origin>` (a time-step index → ISO, e.g. 10-minute steps);
 * - `values`: a lookup table for the cell (e.g. view → course.viewed); `prefixes`: first matching prefix (e.g. `C` → order.refunded);
 *   `otherwise`: the value when neither matches; without it, a value outside the tables rejects the row (`unmapped_value`);
 * - `ifEmpty`: a template used when the cell is empty (e.g. `guest-{InvoiceNo}` for rows without a customer id);
 * - `{ const }`: a constant; `{ template: "{a}:{b}" }`: columns spliced into a string;
 * - `{ multiply: [a, b], convert: "minor", abs? }`: the exact product of two decimal columns in minor units (quantity × unit price).
 */
const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const fieldSourceSchema = z.union([
  z.string().min(1),
  z
    .object({
      column: z.string().min(1),
      convert: z
        .string()
        .regex(/^(string|int|number|minor|timestamp|bool|id|split:.+|steps:\d+:.+)$/, 'convert: string|int|number|minor|timestamp|bool|id|split:<sep>|steps:<seconds>:<ISO origin>')
        .optional(),
      values: z.record(z.string(), scalar).optional(),
      prefixes: z.record(z.string().min(1), scalar).optional(),
      otherwise: scalar.optional(),
      default: scalar.optional(),
      ifEmpty: z.string().min(1).optional(),
    })
    .strict(),
  z.object({ const: z.union([z.string(), z.number(), z.boolean(), z.null()]) }).strict(),
  z.object({ template: z.string().min(1) }).strict(),
  z.object({ multiply: z.tuple([z.string().min(1), z.string().min(1)]), convert: z.literal('minor'), abs: z.boolean().optional() }).strict(),
]);
export type FieldSource = z.infer<typeof fieldSourceSchema>;

export const importMappingSchema = z
  .object({
    description: z.string().optional(),
    format: z.enum(['csv', 'jsonl']).optional(),
    delimiter: z.string().length(1).optional(),
    /** Column names of a CSV file that has no header row (e.g. the Taobao behaviour log): every line is data. */
    columns: z.array(z.string().min(1)).min(1).optional(),
    source: z.enum(SOURCES).optional(),
    /** Envelope fields (type, occurredAt, userId, courseId, eventId, ...), dotted `payload.x.y` allowed. */
    fields: z.record(z.string(), fieldSourceSchema).default({}),
    /** Payload fields per canonical type (`*` applies to every type), dotted paths allowed. */
    payload: z.record(z.string(), z.record(z.string(), fieldSourceSchema)).default({}),
  })
  .strict();
export type ImportMapping = z.infer<typeof importMappingSchema>;

export type MappedRow =
  | { ok: true; event: Record<string, unknown> }
  | { ok: false; code: 'unmapped_value' | 'format_violation' | 'malformed_json' | 'schema_violation' | 'json_too_deep'; message: string };

/** Deepest JSON nesting an imported line may have (objects and arrays); deeper lines are rejected, the others kept. */
export const IMPORT_MAX_JSON_DEPTH = 64;

/** True when a parsed JSON value nests deeper than `max` (iterative: no recursion on hostile input). */
export function jsonDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) return true;
    for (const c of Array.isArray(v) ? v : Object.values(v)) if (typeof c === 'object' && c !== null) stack.push([c, d + 1]);
  }
  return false;
}

/** Parses `col=field[:convert]` flags into mapping fields (`payload.` prefixes go into the payload of every type). */
export function applyMapFlags(mapping: ImportMapping, flags: readonly string[]): ImportMapping {
  const fields = { ...mapping.fields };
  for (const f of flags) {
    const m = /^([^=]+)=([\w.]+)(?::(.+))?$/.exec(f);
    if (!m) throw new Error(`--map ${JSON.stringify(f)}: expected column=field[:convert]`);
    fields[m[2]] = m[3] ? { column: m[1], convert: m[3] } : m[1];
  }
  return importMappingSchema.parse({ ...mapping, fields });
}

/** Decimal string → integer ×100, exactly ("35.79" → 3579, "-1.5" → -150); null when not a number. */
export function decimalToMinor(s: string): number | null {
  const m = /^\s*(-?)(\d+)(?:\.(\d+))?\s*$/.exec(s);
  if (!m) return null;
  const frac = (m[3] ?? '').padEnd(3, '0');
  // round half away from zero on the third decimal
  const minor = Number(m[2]) * 100 + Number(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1 : 0);
  return m[1] ? -minor : minor;
}

/** The time formats store exports use → ISO-8601; naive times are taken as UTC. Null when unreadable. */
export function toIsoTimestamp(s: string): string | null {
  const t = s.trim();
  if (/^\d{10}$/.test(t)) return new Date(Number(t) * 1000).toISOString();
  if (/^\d{13}$/.test(t)) return new Date(Number(t)).toISOString();
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(UTC|GMT|Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (!m) return null;
  const time = m[2].length === 5 ? `${m[2]}:00` : m[2];
  let zone = (m[3] ?? 'Z').toUpperCase();
  if (zone === 'UTC' || zone === 'GMT') zone = 'Z';
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const iso = `${m[1]}T${time}${zone}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

function convert(raw: string, how: string | undefined, column: string): unknown {
  switch (how ?? 'string') {
    case 'string':
      return raw;
    case 'int': {
      if (!/^\s*-?\d+\s*$/.test(raw)) throw new Error(`${column}: ${JSON.stringify(raw)} is not an integer`);
      return Number(raw);
    }
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new Error(`${column}: ${JSON.stringify(raw)} is not a number`);
      return n;
    }
    case 'minor': {
      const n = decimalToMinor(raw);
      if (n === null) throw new Error(`${column}: ${JSON.stringify(raw)} is not a decimal amount`);
      return n;
    }
    case 'timestamp': {
      const iso = toIsoTimestamp(raw);
      if (!iso) throw new Error(`${column}: ${JSON.stringify(raw)} is not a timestamp`);
      return iso;
    }
    case 'bool':
      return /^(1|true|yes|y)$/i.test(raw.trim());
    case 'id': {
      const m = /^\s*(-?\d+)\.0*\s*$/.exec(raw);
      return m ? m[1] : raw.trim();
    }
    default: {
      if (how!.startsWith('steps:')) {
        const [, sec, origin] = /^steps:(\d+):(.+)$/.exec(how!)!;
        if (!/^\s*\d+\s*$/.test(raw)) throw new Error(`${column}: ${JSON.stringify(raw)} is not a time step`);
        const base = Date.parse(origin);
        if (Number.isNaN(base)) throw new Error(`${column}: the origin ${JSON.stringify(origin)} of ${how} is not a timestamp`);
        return new Date(base + Number(raw) * Number(sec) * 1000).toISOString();
      }
      return raw.split(how!.slice('split:'.length)).filter((x) => x !== '');
    }
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = o[parts[i]];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) o[parts[i]] = {};
    o = o[parts[i]] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]] = value;
}

class UnmappedValue extends Error {}

/** Decimal string → [scaled integer, decimals] exactly ("2.55" → [255n, 2]); null when not a decimal. */
function scaledDecimal(s: string): [bigint, number] | null {
  const m = /^\s*(-?)(\d+)(?:\.(\d+))?\s*$/.exec(s);
  if (!m) return null;
  const frac = m[3] ?? '';
  const v = BigInt(`${m[2]}${frac}`);
  return [m[1] ? -v : v, frac.length];
}

/** a × b in minor units (×100), exact, rounded half away from zero. */
export function multiplyToMinor(a: string, b: string): number | null {
  const x = scaledDecimal(a);
  const y = scaledDecimal(b);
  if (!x || !y) return null;
  const scale = x[1] + y[1];
  let p = x[0] * y[0] * 100n; // in units of 10^-scale minor units
  const neg = p < 0n;
  if (neg) p = -p;
  const div = 10n ** BigInt(scale);
  let q = p / div;
  if ((p % div) * 2n >= div) q += 1n;
  return Number(neg ? -q : q);
}

function template(t: string, cell: (c: string) => string | undefined): string {
  return t.replace(/\{([^}]+)\}/g, (_, c: string) => cell(c) ?? '');
}

function resolve(src: FieldSource, cell: (c: string) => string | undefined): unknown {
  if (typeof src === 'string') {
    const v = cell(src);
    return v === undefined || v === '' ? undefined : v;
  }
  if ('const' in src) return src.const ?? undefined;
  if ('template' in src) return template(src.template, cell);
  if ('multiply' in src) {
    const [a, b] = src.multiply.map((c) => cell(c) ?? '');
    const n = multiplyToMinor(a, b);
    if (n === null) throw new Error(`${src.multiply.join(' × ')}: ${JSON.stringify(a)} × ${JSON.stringify(b)} is not a product of decimals`);
    return src.abs ? Math.abs(n) : n;
  }
  const v = cell(src.column);
  if (v === undefined || v === '') return src.ifEmpty !== undefined ? template(src.ifEmpty, cell) : src.default;
  if (src.values || src.prefixes) {
    if (src.values && Object.prototype.hasOwnProperty.call(src.values, v)) return src.values[v];
    const prefix = src.prefixes ? Object.keys(src.prefixes).sort((p, q) => q.length - p.length).find((p) => v.startsWith(p)) : undefined;
    if (prefix !== undefined) return src.prefixes![prefix];
    if (src.otherwise !== undefined) return src.otherwise;
    throw new UnmappedValue(`${src.column}: ${JSON.stringify(v)} has no mapping (known: ${[...Object.keys(src.values ?? {}), ...Object.keys(src.prefixes ?? {}).map((p) => `${p}…`)].join(', ')})`);
  }
  return convert(v, src.convert, src.column);
}

/** Looks up a column (CSV header) or a dotted key (JSONL object). */
export type CellLookup = (column: string) => string | undefined;

export function csvCells(header: readonly string[], row: readonly string[]): CellLookup {
  const index = new Map(header.map((h, i) => [h.trim(), i]));
  return (c) => {
    const i = index.get(c);
    return i === undefined ? undefined : row[i];
  };
}

export function jsonCells(obj: Record<string, unknown>): CellLookup {
  return (c) => {
    let v: unknown = obj;
    for (const p of c.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[p] : undefined;
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return JSON.stringify(v);
  };
}

/**
 * Builds the envelope of one row. Envelope fields first (`type` decides which payload table applies),
 * then the payload fields of `*` and of the type. A JSONL row without mapping is taken as the envelope.
 */
export function mapRow(mapping: ImportMapping, cell: CellLookup): MappedRow {
  const event: Record<string, unknown> = {};
  try {
    for (const [field, src] of Object.entries(mapping.fields)) {
      const v = resolve(src, cell);
      if (v !== undefined) setPath(event, field, v);
    }
    const type = typeof event.type === 'string' ? event.type : undefined;
    const tables = [mapping.payload['*'], type ? mapping.payload[type] : undefined];
    for (const table of tables) {
      if (!table) continue;
      for (const [field, src] of Object.entries(table)) {
        const v = resolve(src, cell);
        if (v !== undefined) setPath(event, `payload.${field}`, v);
      }
    }
  } catch (e) {
    if (e instanceof UnmappedValue) return { ok: false, code: 'unmapped_value', message: e.message };
    return { ok: false, code: 'format_violation', message: e instanceof Error ? e.message : String(e) };
  }
  if (mapping.source && event.source === undefined) event.source = mapping.source;
  return { ok: true, event };
}

/**
 * The event id of an imported record that carries none: `imp-` + 32 base64url chars of
 * sha256(tenant, line number, record text). Re-sending the same record of the same file (a retried
 * batch, a resumed or repeated import) gives the same id, so cleaning drops the repeat; two identical
 * rows on different lines stay two events.
 */
export function importEventId(tenantId: string, line: number, text: string): string {
  return `imp-${createHash('sha256').update(`${tenantId}\u0000${line}\u0000${text}`, 'utf8').digest('base64url').slice(0, 32)}`;
}

/** Turns one file record into an event ready to submit (eventId filled) or a local rejection. */
export function recordToEvent(
  rec: { line: number; text: string },
  opts: { tenantId: string; format: 'csv' | 'jsonl'; mapping: ImportMapping | null; header: readonly string[] | null; delimiter: string },
): MappedRow {
  let cell: CellLookup;
  let base: Record<string, unknown> | null = null;
  if (opts.format === 'csv') {
    cell = csvCells(opts.header ?? [], parseCsvFields(rec.text, opts.delimiter));
  } else {
    let obj: unknown;
    try {
      obj = JSON.parse(rec.text);
    } catch (e) {
      return { ok: false, code: 'malformed_json', message: `line ${rec.line}: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { ok: false, code: 'schema_violation', message: `line ${rec.line}: not a JSON object` };
    if (jsonDeeperThan(obj, IMPORT_MAX_JSON_DEPTH)) {
      return { ok: false, code: 'json_too_deep', message: `line ${rec.line}: JSON nested deeper than ${IMPORT_MAX_JSON_DEPTH} levels (objects and arrays); the line is rejected, the others are kept` };
    }
    cell = jsonCells(obj as Record<string, unknown>);
    base = obj as Record<string, unknown>;
  }
  const hasMapping = opts.mapping && (Object.keys(opts.mapping.fields).length > 0 || Object.keys(opts.mapping.payload).length > 0);
  const mapped = hasMapping ? mapRow(opts.mapping!, cell) : base ? { ok: true as const, event: { ...base } } : mapRow(opts.mapping ?? importMappingSchema.parse({}), cell);
  if (!mapped.ok) return mapped;
  if (mapped.event.eventId === undefined) mapped.event.eventId = importEventId(opts.tenantId, rec.line, rec.text);
  return mapped;
}
