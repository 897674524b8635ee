import { DAY_MS } from './decay';

/**
 * RFM scoring with fixed, documented thresholds (scores 1..5, 5 best), evaluated at an
 * instant `asOf`, so a "days since" rule is always current. The same thresholds generate
 * the SQL used for segment sizes and members (see segment-sql.ts), so both agree.
 */
export const RFM_THRESHOLDS = {
  /** R = 5 when days since the last paid order ≤ 7, 4 when ≤ 30, 3 when ≤ 90, 2 when ≤ 180, else 1. */
  recencyDays: [7, 30, 90, 180] as const,
  /** F = 1 for 1 paid order, 2 for 2, 3 for 3-4, 4 for 5-9, 5 for ≥ 10. */
  frequencyMin: [2, 3, 5, 10] as const,
  /** M (net paid − refunded, minor units): 1 below 20 000, 2 below 80 000, 3 below 200 000, 4 below 500 000, else 5. */
  monetaryMinor: [20_000, 80_000, 200_000, 500_000] as const,
} as const;

export const RFM_SEGMENTS = ['champions', 'loyal', 'new', 'promising', 'at_risk', 'hibernating', 'lost', 'prospects'] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export const RFM_SEGMENT_RULES: Record<RfmSegment, string> = {
  champions: 'R ≥ 4 and F ≥ 4',
  loyal: 'R ≥ 3 and F ≥ 3, not champions',
  new: 'R ≥ 4 and F = 1',
  promising: 'R ≥ 3 and F ≤ 2, not new',
  at_risk: 'R ≤ 2 and F ≥ 3',
  hibernating: 'R = 2 and F ≤ 2',
  lost: 'R = 1 and F ≤ 2',
  prospects: 'no paid order yet',
};

export interface RfmInput {
  lastPaidMs: number | null;
  paidOrders: number;
  netMonetaryMinor: number;
}

export interface RfmResult {
  recencyDays: number | null;
  frequency: number;
  monetaryMinor: number;
  scores: { r: number; f: number; m: number };
  segment: RfmSegment;
}

export function recencyScore(days: number): number {
  const [a, b, c, d] = RFM_THRESHOLDS.recencyDays;
  if (days <= a) return 5;
  if (days <= b) return 4;
  if (days <= c) return 3;
  if (days <= d) return 2;
  return 1;
}

export function frequencyScore(orders: number): number {
  if (orders <= 0) return 0;
  const [a, b, c, d] = RFM_THRESHOLDS.frequencyMin;
  if (orders >= d) return 5;
  if (orders >= c) return 4;
  if (orders >= b) return 3;
  if (orders >= a) return 2;
  return 1;
}

export function monetaryScore(minor: number): number {
  const [a, b, c, d] = RFM_THRESHOLDS.monetaryMinor;
  if (minor < a) return 1;
  if (minor < b) return 2;
  if (minor < c) return 3;
  if (minor < d) return 4;
  return 5;
}

export function segmentOf(r: number, f: number): RfmSegment {
  if (f <= 0) return 'prospects';
  if (r >= 4 && f >= 4) return 'champions';
  if (r >= 3 && f >= 3) return 'loyal';
  if (r >= 4 && f === 1) return 'new';
  if (r >= 3) return 'promising';
  if (f >= 3) return 'at_risk';
  if (r === 2) return 'hibernating';
  return 'lost';
}

export function rfmAt(input: RfmInput, asOfMs: number): RfmResult {
  if (input.lastPaidMs === null || input.paidOrders <= 0) {
    return { recencyDays: null, frequency: 0, monetaryMinor: input.netMonetaryMinor, scores: { r: 0, f: 0, m: 0 }, segment: 'prospects' };
  }
  const days = (asOfMs - input.lastPaidMs) / DAY_MS;
  const r = recencyScore(days);
  const f = frequencyScore(input.paidOrders);
  const m = monetaryScore(input.netMonetaryMinor);
  return { recencyDays: days, frequency: input.paidOrders, monetaryMinor: input.netMonetaryMinor, scores: { r, f, m }, segment: segmentOf(r, f) };
}
