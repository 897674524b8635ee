import { fitLogistic, LogisticFit } from '@livepromo/ml';

/** One (user, live session) visit, aggregated from the funnel facts. */
export interface VisitSample {
  sessionId: string;
  streamerId: string | null;
  firstEntryAt: string;
  watchSec: number;
  comments: number;
  couponClaims: number;
  lotteryJoins: number;
  purchased: boolean;
}

export interface FactorDesign {
  names: string[];
  descriptions: Record<string, string>;
  rows: number[][];
  y: number[];
  dropped: { name: string; reason: string }[];
  referenceStreamer: string | null;
}

export interface FactorOptions {
  tzOffsetMinutes: number;
  /** Streamers with at least this many visits get their own indicator (at most maxStreamers of them). */
  minStreamerSamples: number;
  maxStreamers: number;
}

/**
 * Builds the design matrix: ln(1 + watch minutes), commented, claimed a coupon (the discount strategy),
 * joined a lottery (interaction strategy), evening slot (19:00–23:59 local entry), weekend, and one indicator
 * per frequent streamer against the rest (the most frequent streamer is the reference level). Constant
 * columns are dropped and reported (they carry no information).
 */
export function buildFactorDesign(samples: readonly VisitSample[], o: FactorOptions): FactorDesign {
  const counts = new Map<string, number>();
  for (const s of samples) if (s.streamerId) counts.set(s.streamerId, (counts.get(s.streamerId) ?? 0) + 1);
  const frequent = [...counts.entries()]
    .filter(([, n]) => n >= o.minStreamerSamples)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, o.maxStreamers + 1)
    .map(([id]) => id);
  const reference = frequent.length >= 2 ? frequent[0] : null;
  const streamerCols = reference ? frequent.slice(1) : [];
  const base: [string, string, (s: VisitSample, local: Date) => number][] = [
    ['log_watch_minutes', 'ln(1 + minutes watched in the session)', (s) => Math.log1p(s.watchSec / 60)],
    ['commented', '1 if the user commented in the session', (s) => (s.comments > 0 ? 1 : 0)],
    ['coupon_claimed', '1 if the user claimed a coupon (discount) in the session', (s) => (s.couponClaims > 0 ? 1 : 0)],
    ['lottery_joined', '1 if the user joined a lottery in the session', (s) => (s.lotteryJoins > 0 ? 1 : 0)],
    ['evening_slot', '1 if the first room entry was 19:00–23:59 local time', (_, d) => (d.getUTCHours() >= 19 ? 1 : 0)],
    [
      'weekend',
      '1 if the first room entry was on a Saturday or Sunday (local)',
      (_, d) => (d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 1 : 0),
    ],
  ];
  const allNames = [...base.map((b) => b[0]), ...streamerCols.map((s) => `streamer:${s}`)];
  const descriptions: Record<string, string> = Object.fromEntries(base.map((b) => [b[0], b[1]]));
  for (const s of streamerCols) descriptions[`streamer:${s}`] = `1 if the session's streamer is ${s} (reference: ${reference})`;
  const full = samples.map((s) => {
    const local = new Date(Date.parse(s.firstEntryAt) + o.tzOffsetMinutes * 60_000);
    return [...base.map((b) => b[2](s, local)), ...streamerCols.map((id) => (s.streamerId === id ? 1 : 0))];
  });
  const keep: number[] = [];
  const dropped: { name: string; reason: string }[] = [];
  allNames.forEach((name, j) => {
    const first = full[0]?.[j];
    if (full.every((r) => r[j] === first)) dropped.push({ name, reason: 'constant over the sample' });
    else keep.push(j);
  });
  return {
    names: keep.map((j) => allNames[j]),
    descriptions,
    rows: full.map((r) => keep.map((j) => r[j])),
    y: samples.map((s) => (s.purchased ? 1 : 0)),
    dropped,
    referenceStreamer: reference,
  };
}

export interface FactorAnalysis {
  fit: LogisticFit | null;
  design: Omit<FactorDesign, 'rows' | 'y'>;
  reason?: string;
}

/** Design + fit; refuses (fit null with a reason) when there is nothing to learn from. */
export function analysePurchaseFactors(
  samples: readonly VisitSample[],
  o: FactorOptions & { lambda: number; level: number },
): FactorAnalysis {
  const d = buildFactorDesign(samples, o);
  const { rows, y, ...design } = d;
  const positives = y.reduce((s, v) => s + v, 0);
  if (samples.length < 10) return { fit: null, design, reason: `too few visits (${samples.length} < 10)` };
  if (positives === 0 || positives === samples.length)
    return { fit: null, design, reason: 'every visit has the same outcome (all or none purchased)' };
  if (design.names.length === 0) return { fit: null, design, reason: 'every factor is constant over the sample' };
  return { fit: fitLogistic(design.names, rows, y, { lambda: o.lambda, level: o.level }), design };
}
