import { argmax } from '@livepromo/ml';

export type SentimentLabel = 'positive' | 'neutral' | 'negative';

/** Within this band around 0, a model without a neutral class calls the comment neutral. */
export const BINARY_NEUTRAL_BAND = 0.2;

/**
 * Sentiment and its score from a sentiment model's probabilities.
 * Labels are first renamed by `labelMap` (e.g. {"1":"positive","0":"negative"}).
 * score = P(positive) − P(negative) ∈ [−1, 1].
 * With a neutral class: the most probable of the three. Without one: neutral when
 * |score| < 0.2, otherwise the sign of the score.
 */
export function sentimentFrom(probs: ArrayLike<number>, labels: readonly string[], labelMap: Record<string, string> = {}): { sentiment: SentimentLabel; score: number } {
  const mapped = labels.map((l) => labelMap[l] ?? l);
  const p = (name: SentimentLabel) => mapped.reduce((acc, l, i) => (l === name ? acc + probs[i] : acc), 0);
  const pos = p('positive');
  const neg = p('negative');
  const score = Math.max(-1, Math.min(1, pos - neg));
  if (!mapped.includes('positive') && !mapped.includes('negative')) {
    throw new Error(`sentiment model labels [${labels.join(', ')}] map to neither positive nor negative; give a labelMap`);
  }
  if (mapped.includes('neutral')) {
    const three = [pos, p('neutral'), neg];
    return { sentiment: (['positive', 'neutral', 'negative'] as const)[argmax(three)], score };
  }
  if (Math.abs(score) < BINARY_NEUTRAL_BAND) return { sentiment: 'neutral', score };
  return { sentiment: score > 0 ? 'positive' : 'negative', score };
}
