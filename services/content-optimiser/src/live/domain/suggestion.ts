import { Detection } from './detectors';
import { hashSeed, mulberry32 } from '@livepromo/ml';
import { CANDIDATES, Strategy, STRATEGY_ACTION } from './strategies';
import { ArmPosterior, thompsonChoose } from './thompson-sampling';
import { round } from './window-comparison';

export interface SuggestionDraft {
  strategy: Strategy;
  trigger: Detection['trigger'];
  reason: string;
  evidence: Record<string, number>;
  /** Expected outcome score of the strategy: 2 · posterior mean − 1, in [−1, 1] (relative change of engagement/conversion). */
  expectedUplift: number;
  /** P(this strategy is the best candidate) under the posteriors, by Monte-Carlo. */
  confidence: number;
}

/**
 * Turns a detection into a suggestion: Thompson sampling over the trigger's candidate
 * strategies (unknown arms start at Beta(1, 1)), seeded from `seed` and `decisionKey`
 * so that a replayed decision is the same decision.
 */
export function draftSuggestion(d: Detection, known: readonly ArmPosterior[], seed: number, decisionKey: string): SuggestionDraft {
  const arms = CANDIDATES[d.trigger].map((s) => known.find((a) => a.arm === s) ?? { arm: s, alpha: 1, beta: 1 });
  const choice = thompsonChoose(arms, mulberry32(hashSeed(`${seed}|${decisionKey}`)));
  const strategy = choice.arm as Strategy;
  const chosen = arms.find((a) => a.arm === strategy)!;
  return {
    strategy,
    trigger: d.trigger,
    reason: `${d.reason}. Suggest: ${STRATEGY_ACTION[strategy]} (Thompson sampling over ${arms.length} strategies; posterior mean ${round(choice.posteriorMean, 3)} after ${round(choice.observations, 2)} measured uses).`,
    evidence: {
      ...d.evidence,
      posteriorAlpha: round(chosen.alpha),
      posteriorBeta: round(chosen.beta),
      posteriorMean: round(choice.posteriorMean),
      measuredUses: round(choice.observations, 2),
      probBest: round(choice.probBest),
    },
    expectedUplift: round(2 * choice.posteriorMean - 1),
    confidence: round(choice.probBest),
  };
}
