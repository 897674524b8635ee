/**
 * Mid-rank percentile of `value` within `sample`: 100 · (#below + ½·#equal) / n.
 * Example: value 3 in [1, 2, 3, 4] → 100 · (2 + 0.5) / 4 = 62.5. Null for an empty sample.
 */
export function percentileRank(value: number, sample: readonly number[]): number | null {
  if (sample.length === 0) return null;
  let below = 0;
  let equal = 0;
  for (const s of sample) {
    if (s < value) below++;
    else if (s === value) equal++;
  }
  return (100 * (below + 0.5 * equal)) / sample.length;
}

/** Relative change (cur − prev) / |prev|; 0 when both are 0; null when prev is 0 and cur is not. */
export function relativeChange(cur: number, prev: number): number | null {
  if (prev === 0) return cur === 0 ? 0 : null;
  return (cur - prev) / Math.abs(prev);
}
