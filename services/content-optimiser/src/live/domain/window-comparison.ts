import { METRIC_DIRECTION, METRIC_NAMES, MetricName, WindowMetrics } from './live-window';
import { relativeChange } from './percentile';

/** Fewest past windows a baseline needs before its percentiles are used. */
export const MIN_BASELINE_SAMPLES = 5;

export interface WindowComparison {
  metrics: WindowMetrics;
  /** (cur − prev) / |prev| against the previous window of the same length (absent when undefined). */
  prevChange: Partial<Record<MetricName, number>>;
  /** Mid-rank percentile among this streamer's past sessions' windows of the same length. */
  streamerPercentile: Partial<Record<MetricName, number>>;
  /** Mid-rank percentile among same-category peers' windows of the same length (other streamers). */
  categoryPercentile: Partial<Record<MetricName, number>>;
  streamerSamples: number;
  categorySamples: number;
  worstMetric?: MetricName;
  /** What the worst metric was judged on. */
  worstBasis?: 'streamer_percentile' | 'category_percentile' | 'previous_window';
  /** Its "goodness" score: percentile oriented so that low is bad (or the oriented relative change). */
  worstScore?: number;
}

function percentiles(cur: WindowMetrics, sample: readonly WindowMetrics[]): Partial<Record<MetricName, number>> {
  const out: Partial<Record<MetricName, number>> = {};
  if (sample.length < MIN_BASELINE_SAMPLES) return out;
  // Same as percentileRank(cur[m], sample.map((w) => w[m])), without allocating a column per metric.
  for (const m of METRIC_NAMES) {
    const x = cur[m];
    let below = 0;
    let equal = 0;
    for (const w of sample) {
      const v = w[m];
      if (v < x) below++;
      else if (v === x) equal++;
    }
    out[m] = (100 * (below + 0.5 * equal)) / sample.length;
  }
  return out;
}

/**
 * Ratios with nothing to measure in this window (sentiment without classified comments, conversion without clicks)
 * read 0; they are not "worst": a minute whose classifications have not landed is not a sentiment collapse.
 */
export function withoutSample(cur: WindowMetrics, m: MetricName): boolean {
  if (m === 'avgSentiment' || m === 'negativeShare') return cur.classifiedComments === 0;
  if (m === 'clickToOrderConversion') return cur.productClicks === 0;
  return false;
}

/**
 * Compares a window with the previous one and with two baselines, and names the worst metric:
 * among metrics with a direction, the lowest oriented percentile (p for higher-is-better,
 * 100 − p for lower-is-better), using the streamer baseline, else the category one; with no
 * baseline, the largest oriented fall against the previous window (only if something fell). Metrics without a
 * sample in this window (`withoutSample`) are not candidates.
 */
export function compareWindow(
  cur: WindowMetrics,
  prev: WindowMetrics | null,
  streamerPast: readonly WindowMetrics[],
  categoryPast: readonly WindowMetrics[],
): WindowComparison {
  const prevChange: Partial<Record<MetricName, number>> = {};
  if (prev) {
    for (const m of METRIC_NAMES) {
      const c = relativeChange(cur[m], prev[m]);
      if (c !== null) prevChange[m] = c;
    }
  }
  const streamerPercentile = percentiles(cur, streamerPast);
  const categoryPercentile = percentiles(cur, categoryPast);
  const result: WindowComparison = {
    metrics: cur,
    prevChange,
    streamerPercentile,
    categoryPercentile,
    streamerSamples: streamerPast.length,
    categorySamples: categoryPast.length,
  };
  const pick = (scores: Partial<Record<MetricName, number>>, oriented: (m: MetricName, v: number) => number) => {
    let best: { m: MetricName; s: number } | null = null;
    for (const m of METRIC_NAMES) {
      const dir = METRIC_DIRECTION[m];
      const v = scores[m];
      if (dir === 0 || v === undefined || withoutSample(cur, m)) continue;
      const s = oriented(m, v);
      if (!best || s < best.s) best = { m, s };
    }
    return best;
  };
  const pctOriented = (m: MetricName, p: number) => (METRIC_DIRECTION[m] > 0 ? p : 100 - p);
  const basis: [Partial<Record<MetricName, number>>, WindowComparison['worstBasis']][] = [
    [streamerPercentile, 'streamer_percentile'],
    [categoryPercentile, 'category_percentile'],
  ];
  for (const [scores, name] of basis) {
    const w = pick(scores, pctOriented);
    if (w) {
      result.worstMetric = w.m;
      result.worstBasis = name;
      result.worstScore = w.s;
      return result;
    }
  }
  const w = pick(prevChange, (m, c) => METRIC_DIRECTION[m] * c);
  if (w && w.s < 0) {
    result.worstMetric = w.m;
    result.worstBasis = 'previous_window';
    result.worstScore = w.s;
  }
  return result;
}

/** Flattens a comparison into the `metrics` record of `live.metrics.computed` (dot-suffixed keys). */
export function flattenComparison(c: WindowComparison): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of METRIC_NAMES) {
    out[m] = round(c.metrics[m]);
    if (c.prevChange[m] !== undefined) out[`${m}.prevChange`] = round(c.prevChange[m]);
    if (c.streamerPercentile[m] !== undefined) out[`${m}.streamerPercentile`] = round(c.streamerPercentile[m]);
    if (c.categoryPercentile[m] !== undefined) out[`${m}.categoryPercentile`] = round(c.categoryPercentile[m]);
  }
  out['baseline.streamerSamples'] = c.streamerSamples;
  out['baseline.categorySamples'] = c.categorySamples;
  return out;
}

export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
