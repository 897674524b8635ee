/**
 * Statistics for benchmarks (bench/ and services/<service>/bench/): one definition of a percentile, so that
 * every p50/p99 in bench/results/ means the same thing.
 */

/** Nearest-rank percentile of an ascending-sorted sample: the smallest value with at least p % of the sample at or below it; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Sorts a copy and returns count, mean, p50, p90, p99 and max. */
export function summarise(sample: readonly number[]): { n: number; mean: number; p50: number; p90: number; p99: number; max: number } {
  const s = [...sample].sort((a, b) => a - b);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return { n: s.length, mean, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s.length ? s[s.length - 1] : NaN };
}
