/**
 * Which columns of an interaction CSV hold user, item, time, weight (and optional item content),
 * and whether its first line is a header. Pure: the eval CLI reads the file, this decides.
 */
export interface ColumnFlags {
  userCol?: string;
  itemCol?: string;
  timeCol?: string;
  weightCol?: string;
  contentCol?: string;
}

export interface Columns {
  u: number;
  i: number;
  /** Undefined for a file without a time column (then only the random split applies). */
  t?: number;
  w?: number;
  c?: number;
}

export const COLUMN_NAMES = {
  user: ['user_id', 'user', 'userid', 'uid'],
  item: [
    'item_id',
    'item',
    'streamer_id',
    'streamer_name',
    'streamer',
    'itemid',
    'movie_id',
    'movieid',
    'product_id',
    'course_id',
    'stock_code',
    'sku',
  ],
  time: ['timestamp', 'time', 'start_time', 'ts', 'occurred_at', 'event_time', 'created_at', 'invoice_date', 'datetime'],
  weight: ['weight', 'count', 'value', 'rating'],
} as const;

/** Header names compare case-insensitively with `_`, `-` and spaces ignored (userId = user_id). */
const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');

export const DELIMITERS = { ',': 'comma', '\t': 'tab', ';': 'semicolon' } as const;
export type Delimiter = keyof typeof DELIMITERS;

/** Count of a delimiter outside double quotes. */
function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let q = false;
  for (const ch of line) {
    if (ch === '"') q = !q;
    else if (!q && ch === d) n++;
  }
  return n;
}

/**
 * The delimiter of a delimited text file from its first lines: among comma, tab and semicolon, the ones
 * found the same number of times (≥ 1) on every sampled line, the most frequent first. Null when none.
 */
export function detectDelimiter(lines: readonly string[]): Delimiter | null {
  const sample = lines.filter((l) => l.trim() !== '').slice(0, 20);
  if (!sample.length) return null;
  let best: { d: Delimiter; n: number } | null = null;
  for (const d of Object.keys(DELIMITERS) as Delimiter[]) {
    const counts = sample.map((l) => countOutsideQuotes(l, d));
    if (counts[0] < 1 || counts.some((c) => c !== counts[0])) continue;
    if (!best || counts[0] > best.n) best = { d, n: counts[0] };
  }
  return best?.d ?? null;
}

/**
 * A headerless 4-column file laid out user,item,rating,timestamp (MovieLens u.data / ratings): the third
 * column holds small numbers (|x| ≤ 10) and the fourth epoch seconds or milliseconds (≥ 1e8) on every sampled row.
 */
export function looksLikeRatingLayout(rows: readonly string[][]): boolean {
  if (!rows.length || rows.some((r) => r.length !== 4)) return false;
  return rows.every((r) => {
    const rating = Number(r[2]);
    const ts = Number(r[3]);
    return r[2].trim() !== '' && Number.isFinite(rating) && Math.abs(rating) <= 10 && Number.isFinite(ts) && ts >= 1e8;
  });
}

/** A number (epoch or step) or a date string; throws otherwise. */
export function parseTime(s: string): number {
  const n = Number(s);
  if (s.trim() !== '' && Number.isFinite(n)) return n;
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new Error(`unparseable timestamp ${JSON.stringify(s)}`);
  return t;
}

const isTime = (s: string | undefined) => {
  if (s === undefined) return false;
  try {
    parseTime(s.trim());
    return true;
  } catch {
    return false;
  }
};

/**
 * The first line is a header when it names a known column (or a column given by a non-numeric flag),
 * or when the time column (flag index, else 2) does not hold a time. Data ids may be any strings.
 */
export function looksLikeHeader(first: string[], flags: ColumnFlags = {}): boolean {
  const names = new Set<string>([...COLUMN_NAMES.user, ...COLUMN_NAMES.item, ...COLUMN_NAMES.time, ...COLUMN_NAMES.weight].map(norm));
  for (const f of [flags.userCol, flags.itemCol, flags.timeCol, flags.weightCol, flags.contentCol])
    if (f !== undefined && !/^\d+$/.test(f)) names.add(norm(f));
  if (first.some((x) => names.has(norm(x)))) return true;
  const t = flags.timeCol !== undefined && /^\d+$/.test(flags.timeCol) ? Number(flags.timeCol) : 2;
  return !isTime(first[t]);
}

function resolveColumn(
  header: string[] | null,
  flag: string | undefined,
  names: readonly string[],
  fallback: number | undefined,
): number | undefined {
  if (flag !== undefined) {
    if (/^\d+$/.test(flag)) return Number(flag);
    const i = header?.findIndex((h) => norm(h) === norm(flag)) ?? -1;
    if (i < 0) throw new Error(`column ${JSON.stringify(flag)} not in header ${JSON.stringify(header)}`);
    return i;
  }
  if (header)
    for (const n of names) {
      const i = header.findIndex((h) => norm(h) === norm(n));
      if (i >= 0) return i;
    }
  return fallback;
}

/**
 * Columns by flag (name or 0-based index), else by known header names, else positions 0,1,2.
 * Weight: by flag or name; otherwise the 4th column when user, item, time are the first three
 * (the `user,item,timestamp[,weight]` layout, with or without a header).
 */
export function resolveColumns(
  header: string[] | null,
  width: number,
  flags: ColumnFlags = {},
  sample: readonly string[][] = [],
): Columns & { layout?: string } {
  const u = resolveColumn(header, flags.userCol, COLUMN_NAMES.user, 0) as number;
  const i = resolveColumn(header, flags.itemCol, COLUMN_NAMES.item, 1) as number;
  if (!header && flags.timeCol === undefined && flags.weightCol === undefined && u === 0 && i === 1 && looksLikeRatingLayout(sample)) {
    const c = flags.contentCol !== undefined ? resolveColumn(header, flags.contentCol, [], undefined) : undefined;
    return { u, i, t: 3, w: 2, c, layout: 'user,item,rating,timestamp (3rd column small numbers, 4th epoch times)' };
  }
  let t = resolveColumn(header, flags.timeCol, COLUMN_NAMES.time, 2);
  if (flags.timeCol === undefined && t !== undefined && t >= width) t = undefined; // a user,item file: no time column
  let w = resolveColumn(header, flags.weightCol, COLUMN_NAMES.weight, undefined);
  const c = flags.contentCol !== undefined ? resolveColumn(header, flags.contentCol, [], undefined) : undefined;
  if (w === undefined && u === 0 && i === 1 && t === 2 && width > 3 && c !== 3) w = 3;
  const roles = [
    ['user', u],
    ['item', i],
    ['time', t],
    ['weight', w],
    ['content', c],
  ] as const;
  for (const [name, x] of roles)
    if (x !== undefined && (x < 0 || x >= width))
      throw new RangeError(`${name} column ${x} is outside the ${width} columns of the file (0-based)`);
  // a role guessed by position must not land on a column another role takes (e.g. user found by name in column 7, item
  // by position in column 1 while the file's item column has an unknown name): refuse rather than measure nonsense
  for (const [a, x] of roles)
    for (const [b, y] of roles)
      if (a < b && x !== undefined && x === y)
        throw new RangeError(
          `the ${a} and ${b} columns would both be column ${x}${header ? ` (${JSON.stringify(header[x])})` : ''}: name them with --${a}-col and --${b}-col`,
        );
  return { u, i, t, w, c };
}
