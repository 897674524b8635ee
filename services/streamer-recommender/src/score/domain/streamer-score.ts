/**
 * The seed's streamer score M = Σ_j δ_j·C_j + ε·B.
 *
 * C (content features of the streamer):
 *   categoryFit = share of the streamer's content in the target category: profile categories (1 each) and the
 *                 categories of its live sessions (1 per session), L1-normalised; 0 without a target category;
 *   followers   = ln(1 + followers / 1000);
 *   liveHours   = ln(1 + hours live).
 * B (behavioural performance) = 100 · (orders + m·p0) / (room entries + m): paid orders per 100 room entries,
 *   shrunk towards the tenant rate p0 with m pseudo-entries, so a streamer with three entries and one order does
 *   not top the list. Weights are per tenant (PUT /v1/streamer-score-weights), else the defaults.
 * Pure functions, no framework code.
 */
export const DELTA_KINDS = ['categoryFit', 'followers', 'liveHours'] as const;
export type DeltaKind = (typeof DELTA_KINDS)[number];

export interface StreamerScoreWeights {
  delta: Record<DeltaKind, number>;
  epsilon: number;
}

export const DEFAULT_STREAMER_SCORE_WEIGHTS: StreamerScoreWeights = {
  delta: { categoryFit: 10, followers: 0.2, liveHours: 0.1 },
  epsilon: 1,
};

/** Pseudo-entries of the conversion shrinkage in B. */
export const SHRINKAGE_ENTRIES = 50;

export const STREAMER_SCORE_FORMULA =
  'M = Σ_j δ_j·C_j + ε·B; C = { categoryFit: share of the streamer’s content (profile + session categories) in the target category, followers: ln(1 + followers/1000), liveHours: ln(1 + hours live) }; B = 100·(orders + m·p0)/(room entries + m), paid orders per 100 room entries shrunk to the tenant rate p0 with m pseudo-entries';

/** What is kept about a streamer, as the score reads it. */
export interface StreamerScoreRecord {
  streamerId: string;
  name: string | null;
  profileCategories: string[];
  /** categories of the streamer's live sessions, counted */
  sessionCategories: Record<string, number>;
  followers: number;
  sessions: number;
  liveSec: number;
  enters: number;
  orders: number;
}

export interface ScoreTerm {
  name: string;
  coefficient: 'delta' | 'epsilon';
  weight: number;
  /** the raw quantity (share, followers, hours, orders per 100 entries) */
  rawValue: number;
  /** the value the weight multiplies */
  input: number;
  contribution: number;
}

export interface StreamerScore {
  streamerId: string;
  name: string | null;
  value: number;
  terms: ScoreTerm[];
  sample: { sessions: number; liveHours: number; roomEntries: number; paidOrders: number };
}

export interface ScoreContext {
  /** target category (from the course), or null to score without a category fit */
  category: string | null;
  /** tenant-wide paid orders per room entry (the shrinkage target p0) */
  tenantConversion: number;
  shrinkage: number;
}

/** Tenant rate p0 = Σ orders / Σ entries (0 without entries). */
export function tenantConversion(records: readonly StreamerScoreRecord[]): number {
  const entries = records.reduce((s, r) => s + r.enters, 0);
  return entries > 0 ? records.reduce((s, r) => s + r.orders, 0) / entries : 0;
}

export function categoryShare(r: Pick<StreamerScoreRecord, 'profileCategories' | 'sessionCategories'>, category: string): number {
  const counts: Record<string, number> = {};
  for (const c of r.profileCategories) counts[c] = (counts[c] ?? 0) + 1;
  for (const [c, n] of Object.entries(r.sessionCategories)) counts[c] = (counts[c] ?? 0) + n;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return total > 0 ? (counts[category] ?? 0) / total : 0;
}

export function streamerScore(r: StreamerScoreRecord, w: StreamerScoreWeights, ctx: ScoreContext): StreamerScore {
  const liveHours = r.liveSec / 3600;
  const term = (name: string, coefficient: ScoreTerm['coefficient'], weight: number, rawValue: number, input: number): ScoreTerm => ({
    name,
    coefficient,
    weight,
    rawValue,
    input,
    contribution: weight * input,
  });
  const fit = ctx.category ? categoryShare(r, ctx.category) : 0;
  const b = (100 * (r.orders + ctx.shrinkage * ctx.tenantConversion)) / Math.max(1e-9, r.enters + ctx.shrinkage);
  const terms: ScoreTerm[] = [
    term('categoryFit', 'delta', w.delta.categoryFit, fit, fit),
    term('followers', 'delta', w.delta.followers, r.followers, Math.log1p(Math.max(0, r.followers) / 1000)),
    term('liveHours', 'delta', w.delta.liveHours, liveHours, Math.log1p(Math.max(0, liveHours))),
    term('behaviour', 'epsilon', w.epsilon, r.enters > 0 ? (100 * r.orders) / r.enters : 0, b),
  ];
  return {
    streamerId: r.streamerId,
    name: r.name,
    value: terms.reduce((s, t) => s + t.contribution, 0),
    terms,
    sample: { sessions: r.sessions, liveHours, roomEntries: r.enters, paidOrders: r.orders },
  };
}

/** Scores every streamer and ranks them (highest M first, ties by id). */
export function rankStreamers(records: readonly StreamerScoreRecord[], w: StreamerScoreWeights, category: string | null, shrinkage = SHRINKAGE_ENTRIES): { p0: number; scores: StreamerScore[] } {
  const p0 = tenantConversion(records);
  const scores = records.map((r) => streamerScore(r, w, { category, tenantConversion: p0, shrinkage }));
  scores.sort((a, b) => b.value - a.value || (a.streamerId < b.streamerId ? -1 : 1));
  return { p0, scores };
}

/** Fills missing weights from the defaults (a tenant may set only some). */
export function mergeStreamerScoreWeights(partial: { delta?: Partial<Record<DeltaKind, number>>; epsilon?: number } | null | undefined): StreamerScoreWeights {
  return {
    delta: { ...DEFAULT_STREAMER_SCORE_WEIGHTS.delta, ...(partial?.delta ?? {}) },
    epsilon: partial?.epsilon ?? DEFAULT_STREAMER_SCORE_WEIGHTS.epsilon,
  };
}
