/** RFC 4180 CSV of flat records (nested objects flattened with dotted keys), pure. */
export function flatten(o: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = v;
  }
  return out;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/**
 * CSV injection (OWASP): a cell starting with = + - @ TAB or CR is read as a formula by spreadsheets, so it gets a
 * leading apostrophe; plain numbers (also negative ones, and money beyond 2^53 written as digits) stay numbers.
 */
export function neutraliseFormula(s: string): string {
  if (/^[=+\-@\t\r]/.test(s) && !PLAIN_NUMBER.test(s)) return `'${s}`;
  return s;
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  let s: string;
  if (Array.isArray(v)) s = v.join(';');
  else if (typeof v === 'object') s = JSON.stringify(v);
  else if (typeof v === 'string') s = v;
  else s = `${v as number | boolean | bigint}`;
  s = neutraliseFormula(s);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(records: readonly Record<string, unknown>[]): string {
  const flat = records.map((r) => flatten(r));
  const cols: string[] = [];
  for (const r of flat) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return [cols.map(cell).join(','), ...flat.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
