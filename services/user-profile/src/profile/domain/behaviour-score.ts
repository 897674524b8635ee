/**
 * Behaviour score U = Σ_k α_k·x_k + β·y + γ·t.
 *
 * x_k = ln(1 + decayed count of interaction k) for k in ALPHA_KINDS,
 * y   = ln(1 + decayed count of paid orders),
 * t   = ln(1 + decayed watch time in hours);
 * every decayed value is taken at `asOf` with the profile half-life. The log damps heavy users
 * so one binge does not dominate. Weights are per tenant (PUT /v1/score-weights), else DEFAULTS.
 */
export const ALPHA_KINDS = ['views', 'searches', 'comments', 'likes', 'shares', 'clicks', 'follows'] as const;
export type AlphaKind = (typeof ALPHA_KINDS)[number];

export interface ScoreWeights {
  alpha: Record<AlphaKind, number>;
  beta: number;
  gamma: number;
}

export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = {
  alpha: { views: 0.1, searches: 0.2, comments: 0.3, likes: 0.05, shares: 0.5, clicks: 0.5, follows: 0.5 },
  beta: 2,
  gamma: 0.5,
};

export interface ScoreInputs {
  /** decayed counts per interaction kind at asOf */
  interactions: Record<AlphaKind, number>;
  /** decayed paid orders at asOf */
  purchases: number;
  /** decayed watch time in hours at asOf */
  watchHours: number;
}

export interface ScoreTerm {
  name: string;
  coefficient: 'alpha' | 'beta' | 'gamma';
  weight: number;
  /** the decayed quantity before damping */
  decayedValue: number;
  /** ln(1 + decayedValue) */
  input: number;
  contribution: number;
}

export interface BehaviourScore {
  value: number;
  formula: string;
  terms: ScoreTerm[];
}

export const SCORE_FORMULA =
  'U = Σ_k α_k·x_k + β·y + γ·t; x_k = ln(1 + decayed count of interaction k), y = ln(1 + decayed paid orders), t = ln(1 + decayed watch hours), decayed at asOf with the profile half-life';

export function behaviourScore(inputs: ScoreInputs, w: ScoreWeights): BehaviourScore {
  const term = (name: string, coefficient: ScoreTerm['coefficient'], weight: number, decayedValue: number): ScoreTerm => {
    const input = Math.log1p(Math.max(0, decayedValue));
    return { name, coefficient, weight, decayedValue, input, contribution: weight * input };
  };
  const terms: ScoreTerm[] = [
    ...ALPHA_KINDS.map((k) => term(k, 'alpha', w.alpha[k], inputs.interactions[k])),
    term('purchases', 'beta', w.beta, inputs.purchases),
    term('watchHours', 'gamma', w.gamma, inputs.watchHours),
  ];
  return { value: terms.reduce((s, x) => s + x.contribution, 0), formula: SCORE_FORMULA, terms };
}

/** Fills missing weights from the defaults (a tenant may set only some). */
export function mergeWeights(partial: { alpha?: Partial<Record<AlphaKind, number>>; beta?: number; gamma?: number } | null | undefined): ScoreWeights {
  return {
    alpha: { ...DEFAULT_SCORE_WEIGHTS.alpha, ...(partial?.alpha ?? {}) },
    beta: partial?.beta ?? DEFAULT_SCORE_WEIGHTS.beta,
    gamma: partial?.gamma ?? DEFAULT_SCORE_WEIGHTS.gamma,
  };
}
