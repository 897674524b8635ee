import { MIN_BASELINE_SAMPLES, round, WindowComparison } from './window-comparison';
import { WindowMetrics } from './live-window';

export const TRIGGERS = [
  'engagement_drop',
  'price_question_surge',
  'how_to_buy_surge',
  'negative_sentiment_spike',
  'clicks_without_orders',
  'viewer_exodus',
] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** Thresholds of the detectors; every rule below reads only these numbers. */
export const DETECTOR_THRESHOLDS = {
  /** Detectors run on 1-minute windows. */
  windowSec: 60,
  /** A trigger fires at most once per session per this many event-time seconds. */
  cooldownSec: 120,
  /** engagement_drop: engagementPerViewer at or below this baseline percentile… */
  engagementLowPercentile: 20,
  /** …or, with no baseline, a fall of at least this much against the previous window. */
  engagementDropVsPrev: -0.4,
  /** Windows with fewer concurrent viewers are too small to judge engagement or exits. */
  minViewers: 5,
  /** price/how-to-buy surge: at least this many such questions per minute… */
  questionSurgeMinPerMin: 5,
  /** …and at least this multiple of the previous window, or this share of classified comments. */
  questionSurgeRatio: 2,
  questionSurgeShare: 0.3,
  /** negative_sentiment_spike: at least this many classified comments, this negative share… */
  negativeMinClassified: 5,
  negativeShare: 0.35,
  /** …and at least this multiple of the previous window's negative share (or no previous one). */
  negativeRatio: 1.5,
  /** clicks_without_orders: at least this many clicks with conversion below this rate. */
  clicksMin: 10,
  conversionBelow: 0.02,
  /** viewer_exodus: at least this many viewers at risk, drop-off at least this rate… */
  exodusMinAtRisk: 20,
  exodusDropOff: 0.2,
  /** …and at or above this baseline percentile, or (no baseline) this multiple of the previous window. */
  exodusPercentile: 80,
  exodusRatio: 1.5,
} as const;
export type DetectorThresholds = typeof DETECTOR_THRESHOLDS;

export interface Detection {
  trigger: Trigger;
  reason: string;
  evidence: Record<string, number>;
}

function baselinePct(c: WindowComparison, m: keyof WindowMetrics): { pct: number; basis: 'streamer' | 'category' } | null {
  if (c.streamerSamples >= MIN_BASELINE_SAMPLES && c.streamerPercentile[m] !== undefined) return { pct: c.streamerPercentile[m], basis: 'streamer' };
  if (c.categorySamples >= MIN_BASELINE_SAMPLES && c.categoryPercentile[m] !== undefined) return { pct: c.categoryPercentile[m], basis: 'category' };
  return null;
}

/**
 * Runs every detector on one closed 1-minute window (with its comparison) and the previous
 * 1-minute window. Pure: the same inputs give the same detections, in TRIGGERS order.
 */
export function detect(c: WindowComparison, prev: WindowMetrics | null, viewersAtRisk: number, t: DetectorThresholds = DETECTOR_THRESHOLDS): Detection[] {
  const m = c.metrics;
  const out: Detection[] = [];

  // engagement_drop
  if (m.concurrentViewers >= t.minViewers) {
    const b = baselinePct(c, 'engagementPerViewer');
    const change = c.prevChange.engagementPerViewer;
    if (b && b.pct <= t.engagementLowPercentile) {
      out.push({
        trigger: 'engagement_drop',
        reason: `engagement per viewer is at the ${round(b.pct, 1)}th percentile of ${b.basis === 'streamer' ? "this streamer's past sessions" : 'same-category peers'} (threshold ≤ ${t.engagementLowPercentile})`,
        evidence: { engagementPerViewer: round(m.engagementPerViewer), baselinePercentile: round(b.pct, 2), baselineSamples: b.basis === 'streamer' ? c.streamerSamples : c.categorySamples, concurrentViewers: m.concurrentViewers, windowSec: t.windowSec },
      });
    } else if (!b && prev && change !== undefined && prev.engagementPerViewer > 0 && change <= t.engagementDropVsPrev) {
      out.push({
        trigger: 'engagement_drop',
        reason: `engagement per viewer fell ${round(-change * 100, 1)}% against the previous minute (threshold ≥ ${-t.engagementDropVsPrev * 100}%, no baseline yet)`,
        evidence: { engagementPerViewer: round(m.engagementPerViewer), previous: round(prev.engagementPerViewer), change: round(change), concurrentViewers: m.concurrentViewers, windowSec: t.windowSec },
      });
    }
  }

  // price_question_surge / how_to_buy_surge
  const surge = (trigger: Trigger, metric: 'priceQuestionsPerMin' | 'howToBuyQuestionsPerMin', label: string) => {
    const cur = m[metric];
    const before = prev ? prev[metric] : 0;
    const share = m.classifiedComments > 0 ? (cur * t.windowSec) / 60 / m.classifiedComments : 0;
    if (cur >= t.questionSurgeMinPerMin && (cur >= t.questionSurgeRatio * before || share >= t.questionSurgeShare)) {
      out.push({
        trigger,
        reason: `${round(cur, 1)} ${label} per minute (previous minute ${round(before, 1)}), ${round(share * 100, 1)}% of classified comments`,
        evidence: { [metric]: round(cur), previous: round(before), shareOfClassified: round(share), classifiedComments: m.classifiedComments, windowSec: t.windowSec },
      });
    }
  };
  surge('price_question_surge', 'priceQuestionsPerMin', 'price questions');
  surge('how_to_buy_surge', 'howToBuyQuestionsPerMin', 'how-to-buy questions');

  // negative_sentiment_spike
  if (m.classifiedComments >= t.negativeMinClassified && m.negativeShare >= t.negativeShare) {
    const before = prev && prev.classifiedComments > 0 ? prev.negativeShare : null;
    if (before === null || m.negativeShare >= t.negativeRatio * before) {
      out.push({
        trigger: 'negative_sentiment_spike',
        reason: `${round(m.negativeShare * 100, 1)}% of classified comments are negative (previous minute ${before === null ? 'n/a' : `${round(before * 100, 1)}%`})`,
        evidence: { negativeShare: round(m.negativeShare), previous: before === null ? -1 : round(before), classifiedComments: m.classifiedComments, complaintsPerMin: round(m.complaintsPerMin), windowSec: t.windowSec },
      });
    }
  }

  // clicks_without_orders
  if (m.productClicks >= t.clicksMin && m.clickToOrderConversion < t.conversionBelow) {
    out.push({
      trigger: 'clicks_without_orders',
      reason: `${m.productClicks} product clicks but ${m.orders} orders in the last minute (conversion ${round(m.clickToOrderConversion * 100, 1)}% < ${t.conversionBelow * 100}%)`,
      evidence: { productClicks: m.productClicks, orders: m.orders, clickToOrderConversion: round(m.clickToOrderConversion), windowSec: t.windowSec },
    });
  }

  // viewer_exodus
  if (viewersAtRisk >= t.exodusMinAtRisk && m.dropOffRate >= t.exodusDropOff) {
    const b = baselinePct(c, 'dropOffRate');
    const before = prev ? prev.dropOffRate : null;
    const fires = b ? b.pct >= t.exodusPercentile : before === null || before === 0 || m.dropOffRate >= t.exodusRatio * before;
    if (fires) {
      out.push({
        trigger: 'viewer_exodus',
        reason: b
          ? `${round(m.dropOffRate * 100, 1)}% of viewers left in the last minute, the ${round(b.pct, 1)}th percentile of ${b.basis === 'streamer' ? "this streamer's past sessions" : 'same-category peers'}`
          : `${round(m.dropOffRate * 100, 1)}% of viewers left in the last minute (previous minute ${before === null ? 'n/a' : `${round(before * 100, 1)}%`})`,
        evidence: { dropOffRate: round(m.dropOffRate), previous: before === null ? -1 : round(before), viewersAtRisk, ...(b ? { baselinePercentile: round(b.pct, 2) } : {}), windowSec: t.windowSec },
      });
    }
  }
  return out;
}
