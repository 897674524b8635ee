import { Rng, sampleBeta } from '@livepromo/ml';

/** Beta posterior of one arm; the prior is Beta(1, 1). */
export interface ArmPosterior {
  arm: string;
  alpha: number;
  beta: number;
}

export interface ThompsonChoice {
  arm: string;
  /** The Beta draw that won. */
  sampled: number;
  /** alpha / (alpha + beta) of the chosen arm. */
  posteriorMean: number;
  /** Share of `draws` Monte-Carlo rounds in which the chosen arm had the highest draw: P(best). */
  probBest: number;
  /** alpha + beta − 2: evidence observed on the chosen arm. */
  observations: number;
}

/**
 * Thompson sampling over Beta posteriors: draw θ_i ~ Beta(α_i, β_i) for each arm, pick argmax
 * (ties: first arm). Confidence is P(chosen arm is best), estimated with `draws` extra rounds
 * from the same seeded generator.
 */
export function thompsonChoose(arms: readonly ArmPosterior[], rng: Rng, draws = 200): ThompsonChoice {
  if (arms.length === 0) throw new RangeError('no arms');
  let best = 0;
  let bestDraw = -1;
  arms.forEach((a, i) => {
    const d = sampleBeta(a.alpha, a.beta, rng);
    if (d > bestDraw) {
      bestDraw = d;
      best = i;
    }
  });
  let wins = 0;
  for (let r = 0; r < draws; r++) {
    let top = 0;
    let topDraw = -1;
    arms.forEach((a, i) => {
      const d = sampleBeta(a.alpha, a.beta, rng);
      if (d > topDraw) {
        topDraw = d;
        top = i;
      }
    });
    if (top === best) wins++;
  }
  const chosen = arms[best];
  return {
    arm: chosen.arm,
    sampled: bestDraw,
    posteriorMean: chosen.alpha / (chosen.alpha + chosen.beta),
    probBest: draws > 0 ? wins / draws : 1 / arms.length,
    observations: chosen.alpha + chosen.beta - 2,
  };
}

/** Posterior after a reward r ∈ [0, 1] (fractional Bernoulli update): α += r, β += 1 − r. */
export function updatePosterior(p: ArmPosterior, reward: number): ArmPosterior {
  const r = Math.min(1, Math.max(0, reward));
  return { arm: p.arm, alpha: p.alpha + r, beta: p.beta + (1 - r) };
}
