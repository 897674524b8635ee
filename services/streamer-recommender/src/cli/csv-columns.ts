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
  t: number;
  w?: number;
  c?: number;
}

export const COLUMN_NAMES = {
  user: ['user_id', 'user', 'userid', 'uid'],
  item: ['item_id', 'item', 'streamer_id', 'streamer_name', 'streamer', 'itemid'],
  time: ['timestamp', 'time', 'start_time', 'ts', 'occurred_at'],
  weight: ['weight', 'count', 'value'],
} as const;

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
  const names = new Set<string>([...COLUMN_NAMES.user, ...COLUMN_NAMES.item, ...COLUMN_NAMES.time, ...COLUMN_NAMES.weight]);
  for (const f of [flags.userCol, flags.itemCol, flags.timeCol, flags.weightCol, flags.contentCol])
    if (f !== undefined && !/^\d+$/.test(f)) names.add(f.toLowerCase());
  if (first.some((x) => names.has(x.trim().toLowerCase()))) return true;
  const t = flags.timeCol !== undefined && /^\d+$/.test(flags.timeCol) ? Number(flags.timeCol) : 2;
  return !isTime(first[t]);
}

function resolveColumn(header: string[] | null, flag: string | undefined, names: readonly string[], fallback: number | undefined): number | undefined {
  if (flag !== undefined) {
    if (/^\d+$/.test(flag)) return Number(flag);
    const i = header?.findIndex((h) => h.trim().toLowerCase() === flag.toLowerCase()) ?? -1;
    if (i < 0) throw new Error(`column ${JSON.stringify(flag)} not in header ${JSON.stringify(header)}`);
    return i;
  }
  if (header)
    for (const n of names) {
      const i = header.findIndex((h) => h.trim().toLowerCase() === n);
      if (i >= 0) return i;
    }
  return fallback;
}

/**
 * Columns by flag (name or 0-based index), else by known header names, else positions 0,1,2.
 * Weight: by flag or name; otherwise the 4th column when user, item, time are the first three
 * (the `user,item,timestamp[,weight]` layout, with or without a header).
 */
export function resolveColumns(header: string[] | null, width: number, flags: ColumnFlags = {}): Columns {
  const u = resolveColumn(header, flags.userCol, COLUMN_NAMES.user, 0) as number;
  const i = resolveColumn(header, flags.itemCol, COLUMN_NAMES.item, 1) as number;
  const t = resolveColumn(header, flags.timeCol, COLUMN_NAMES.time, 2) as number;
  let w = resolveColumn(header, flags.weightCol, COLUMN_NAMES.weight, undefined);
  if (w === undefined && u === 0 && i === 1 && t === 2 && width > 3) w = 3;
  const c = flags.contentCol !== undefined ? resolveColumn(header, flags.contentCol, [], undefined) : undefined;
  return { u, i, t, w, c };
}
