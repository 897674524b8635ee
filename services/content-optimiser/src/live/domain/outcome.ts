import { WindowMetrics } from './live-window';
import { relativeChange } from './percentile';

export interface Outcome {
  /** Relative change of engagementPerViewer, clipped to [−1, 1]. */
  engagementChange: number;
  /** Relative change of clickToOrderConversion, clipped to [−1, 1]; null when either side had no clicks. */
  conversionChange: number | null;
  /** Mean of the available changes, in [−1, 1]. */
  score: number;
  /** (1 + score) / 2, in [0, 1]: the Beta update of the strategy used. */
  reward: number;
}

const clip = (x: number) => Math.max(-1, Math.min(1, x));

/**
 * Measures what a strategy did: the window before it (the minute that triggered it) against
 * the windows after it (the next two minutes, summed). Engagement with no engagement before
 * counts +1 if any engagement followed, 0 otherwise.
 */
export function measureOutcome(before: WindowMetrics, after: WindowMetrics): Outcome {
  const e = relativeChange(after.engagementPerViewer, before.engagementPerViewer);
  const engagementChange = clip(e ?? 1);
  let conversionChange: number | null = null;
  if (before.productClicks > 0 && after.productClicks > 0) {
    conversionChange = clip(relativeChange(after.clickToOrderConversion, before.clickToOrderConversion) ?? 1);
  }
  const score = conversionChange === null ? engagementChange : (engagementChange + conversionChange) / 2;
  return { engagementChange, conversionChange, score, reward: (1 + score) / 2 };
}
