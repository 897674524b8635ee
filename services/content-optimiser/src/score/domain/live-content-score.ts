/**
 * The seed's live-content score L = Σ_k θ_k·L_k + φ·I of one live session.
 *
 * L (content elements, what was on air and how the audience read it):
 *   contentQuestions    = share of classified comments asking about the course content (the content raises interest),
 *   praise              = share of classified comments praising,
 *   negative            = share of classified comments with negative sentiment (default weight below 0),
 *   couponClaims        = ln(1 + coupon claims per 100 room entries),
 *   lotteryJoins        = ln(1 + lottery joins per 100 room entries),
 *   acceptedSuggestions = ln(1 + suggestions the room accepted);
 * I (interaction) = ln(1 + interactions per room entry), interactions = comments + likes + gifts + shares + follows
 *   + product clicks. Shares are 0 without classified comments. Weights are per tenant (PUT
 *   /v1/content-score-weights), else the defaults. Pure functions, no framework code.
 */
export const THETA_KINDS = ['contentQuestions', 'praise', 'negative', 'couponClaims', 'lotteryJoins', 'acceptedSuggestions'] as const;
export type ThetaKind = (typeof THETA_KINDS)[number];

export interface ContentScoreWeights {
  theta: Record<ThetaKind, number>;
  phi: number;
}

export const DEFAULT_CONTENT_SCORE_WEIGHTS: ContentScoreWeights = {
  theta: { contentQuestions: 2, praise: 2, negative: -3, couponClaims: 0.3, lotteryJoins: 0.2, acceptedSuggestions: 0.5 },
  phi: 1,
};

export const CONTENT_SCORE_FORMULA =
  'L = Σ_k θ_k·L_k + φ·I; L = { contentQuestions, praise, negative: shares of classified comments; couponClaims, lotteryJoins: ln(1 + per 100 room entries); acceptedSuggestions: ln(1 + count) }; I = ln(1 + (comments + likes + gifts + shares + follows + clicks) / room entries)';

/** A session's totals over all its buckets, plus its accepted suggestions. */
export interface SessionTotals {
  entered: number;
  comments: number;
  likes: number;
  gifts: number;
  shares: number;
  follows: number;
  clicks: number;
  coupons: number;
  lotteryJoins: number;
  classified: number;
  intentCourseContent: number;
  intentPraise: number;
  sentNegative: number;
  acceptedSuggestions: number;
}

export interface ContentScoreTerm {
  name: string;
  coefficient: 'theta' | 'phi';
  weight: number;
  rawValue: number;
  input: number;
  contribution: number;
}

export interface ContentScore {
  value: number;
  terms: ContentScoreTerm[];
  sample: { roomEntries: number; classifiedComments: number; interactions: number; acceptedSuggestions: number };
}

export function liveContentScore(t: SessionTotals, w: ContentScoreWeights): ContentScore {
  const entries = Math.max(0, t.entered);
  const share = (n: number) => (t.classified > 0 ? n / t.classified : 0);
  const per100 = (n: number) => (entries > 0 ? (100 * n) / entries : 0);
  const interactions = t.comments + t.likes + t.gifts + t.shares + t.follows + t.clicks;
  const perEntry = entries > 0 ? interactions / entries : 0;
  const term = (name: string, coefficient: ContentScoreTerm['coefficient'], weight: number, rawValue: number, input: number): ContentScoreTerm => ({
    name,
    coefficient,
    weight,
    rawValue,
    input,
    contribution: weight * input,
  });
  const terms: ContentScoreTerm[] = [
    term('contentQuestions', 'theta', w.theta.contentQuestions, t.intentCourseContent, share(t.intentCourseContent)),
    term('praise', 'theta', w.theta.praise, t.intentPraise, share(t.intentPraise)),
    term('negative', 'theta', w.theta.negative, t.sentNegative, share(t.sentNegative)),
    term('couponClaims', 'theta', w.theta.couponClaims, t.coupons, Math.log1p(per100(t.coupons))),
    term('lotteryJoins', 'theta', w.theta.lotteryJoins, t.lotteryJoins, Math.log1p(per100(t.lotteryJoins))),
    term('acceptedSuggestions', 'theta', w.theta.acceptedSuggestions, t.acceptedSuggestions, Math.log1p(Math.max(0, t.acceptedSuggestions))),
    term('interaction', 'phi', w.phi, perEntry, Math.log1p(perEntry)),
  ];
  return {
    value: terms.reduce((s, x) => s + x.contribution, 0),
    terms,
    sample: { roomEntries: entries, classifiedComments: t.classified, interactions, acceptedSuggestions: t.acceptedSuggestions },
  };
}

export function mergeContentScoreWeights(partial: { theta?: Partial<Record<ThetaKind, number>>; phi?: number } | null | undefined): ContentScoreWeights {
  return {
    theta: { ...DEFAULT_CONTENT_SCORE_WEIGHTS.theta, ...(partial?.theta ?? {}) },
    phi: partial?.phi ?? DEFAULT_CONTENT_SCORE_WEIGHTS.phi,
  };
}
