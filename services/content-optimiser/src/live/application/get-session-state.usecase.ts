import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import { LiveStateRepository } from '../infrastructure/live-state.repository';
import { METRIC_FORMULAS, WINDOW_SECONDS } from '../domain/live-window';
import { DETECTOR_THRESHOLDS } from '../domain/detectors';
import { MIN_BASELINE_SAMPLES } from '../domain/window-comparison';

export const HOW_COMPUTED = {
  windows: 'event-time tumbling windows of 10 s, 60 s and 300 s aligned to the epoch, summed from 10-second buckets; a window closes when the session\'s newest event time passes its end by WINDOW_LATENESS_MS (or when the session ends)',
  metrics: METRIC_FORMULAS,
  prevChange: '(value − previous window value) / |previous window value|, same window length; omitted when the previous value is 0 and this one is not',
  percentiles: `mid-rank percentile 100·(#below + ½·#equal)/n among the latest closed windows of the same length of this streamer's other sessions (streamerPercentile) or of other streamers of the same course category (categoryPercentile); only with n ≥ ${MIN_BASELINE_SAMPLES}`,
  worstMetric: 'lowest oriented percentile (p, or 100 − p for metrics where lower is better) on the streamer baseline, else the category one, else the largest oriented fall against the previous window',
  detectors: DETECTOR_THRESHOLDS,
  suggestions: 'Thompson sampling over Beta posteriors per tenant × course category × trigger × strategy (prior Beta(1,1)); expectedUplift = 2·posterior mean − 1 (expected outcome score); confidence = P(strategy is best) by 200 Monte-Carlo draws',
};

/** Current state of a live session: latest window of each length, recent suggestions, and how it is computed. */
@Injectable()
export class GetSessionStateUseCase {
  constructor(@Inject(LiveStateRepository) private readonly repo: LiveStateRepository) {}

  async execute(tenantId: string, sessionId: string, history = 1) {
    const s = await this.repo.getSession(tenantId, sessionId);
    if (!s) throw new DomainError(ErrorCode.NotFound, `no live session ${sessionId}`);
    const windows: Record<string, unknown[]> = {};
    for (const sec of WINDOW_SECONDS) {
      const rows = await this.repo.latestWindows(tenantId, sessionId, sec, history);
      windows[`${sec}s`] = rows.map((r) => ({ windowSec: r.windowSec, windowEnd: new Date(r.windowEndMs).toISOString(), ...(r.published as object) }));
    }
    const suggestions = (await this.repo.recentSuggestions(tenantId, sessionId, 20)).map((r) => ({
      ...((r.payload as { payload: object }).payload ?? {}),
      windowEnd: new Date(r.windowEndMs).toISOString(),
      category: r.category,
      feedback: r.feedback,
      outcome: r.outcome,
    }));
    return {
      sessionId,
      streamerId: s.streamerId,
      category: s.category,
      startedAt: s.startedAtMs === null ? null : new Date(s.startedAtMs).toISOString(),
      endedAt: s.endedAtMs === null ? null : new Date(s.endedAtMs).toISOString(),
      watermark: s.watermarkMs === null ? null : new Date(s.watermarkMs).toISOString(),
      windows,
      suggestions,
      howComputed: HOW_COMPUTED,
    };
  }

  /** The tenant's live sessions, newest event time first (live = started and not ended). */
  async list(tenantId: string, limit: number) {
    const rows = await this.repo.listSessions(tenantId, limit);
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      sessions: rows.map((s) => ({
        sessionId: s.sessionId,
        streamerId: s.streamerId,
        category: s.category,
        startedAt: iso(s.startedAtMs),
        endedAt: iso(s.endedAtMs),
        watermark: iso(s.watermarkMs),
        live: s.startedAtMs !== null && s.endedAtMs === null,
      })),
    };
  }

  async arms(tenantId: string, category?: string, trigger?: string) {
    const rows = await this.repo.listArms(tenantId, category, trigger);
    return {
      arms: rows.map((r) => ({ ...r, posteriorMean: r.alpha / (r.alpha + r.beta) })),
      howComputed: 'Beta(α, β) posterior per tenant × category × trigger × strategy, prior Beta(1,1); each measured outcome adds reward r ∈ [0,1] to α and 1 − r to β; pulls = measured outcomes; posteriorMean = α / (α + β)',
    };
  }
}
