/**
 * Text normalisation: Unicode NFKC (full-width letters and digits → ASCII, compatibility forms folded),
 * zero-width characters removed (they are used to dodge duplicate-comment detection), then trimmed.
 */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;

export function normaliseText(value: string): string {
  return value.normalize('NFKC').replace(ZERO_WIDTH, '').trim();
}

/** Applies `normaliseText` to every string value of a JSON-like tree (keys untouched); returns a new tree. */
export function normaliseStrings(value: unknown): unknown {
  if (typeof value === 'string') return normaliseText(value);
  if (Array.isArray(value)) return value.map(normaliseStrings);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = normaliseStrings(v);
    return out;
  }
  return value;
}
