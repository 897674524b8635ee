import type { EntityManager } from 'typeorm';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@livepromo/service-kit';
import { WindowMetrics } from '../domain/live-window';
import { LiveStateRepository } from '../infrastructure/live-state.repository';
import { ContentOptimiserConfig } from './content-optimiser.config';

interface PastWindow {
  sessionId: string;
  streamerId: string | null;
  metrics: WindowMetrics;
}

interface Entry {
  loadedAt: number;
  rows: PastWindow[];
}

/**
 * Baselines: the most recent closed windows of the same length of (a) this streamer's other
 * sessions and (b) other streamers of the same course category. Cached in memory for
 * BASELINE_CACHE_MS; windows this instance closes are appended at once (write-through).
 */
@Injectable()
export class BaselineProvider {
  private readonly cache = new Map<string, Entry>();

  constructor(
    @Inject(LiveStateRepository) private readonly repo: LiveStateRepository,
    @Inject(CONFIG) private readonly config: ContentOptimiserConfig,
  ) {}

  private async rows(tenantId: string, by: 'streamer' | 'category', key: string, windowSec: number, m?: EntityManager): Promise<PastWindow[]> {
    const k = `${tenantId}|${by}|${key}|${windowSec}`;
    const hit = this.cache.get(k);
    if (hit && Date.now() - hit.loadedAt < this.config.BASELINE_CACHE_MS) return hit.rows;
    const rows = await this.repo.pastWindows(tenantId, by, key, windowSec, this.config.BASELINE_MAX_WINDOWS, m);
    this.cache.set(k, { loadedAt: Date.now(), rows });
    return rows;
  }

  async forSession(
    tenantId: string,
    sessionId: string,
    streamerId: string | null,
    category: string | null,
    windowSec: number,
    m?: EntityManager,
  ): Promise<{ streamer: WindowMetrics[]; category: WindowMetrics[] }> {
    const streamer = streamerId ? (await this.rows(tenantId, 'streamer', streamerId, windowSec, m)).filter((r) => r.sessionId !== sessionId).map((r) => r.metrics) : [];
    const peers = category
      ? (await this.rows(tenantId, 'category', category, windowSec, m)).filter((r) => r.sessionId !== sessionId && r.streamerId !== streamerId).map((r) => r.metrics)
      : [];
    return { streamer, category: peers };
  }

  /** Appends freshly closed windows to cached baselines (newest first, bounded). */
  remember(tenantId: string, w: { sessionId: string; streamerId: string | null; category: string | null; windowSec: number; metrics: WindowMetrics }): void {
    const add = (k: string) => {
      const e = this.cache.get(k);
      if (!e) return;
      e.rows.unshift({ sessionId: w.sessionId, streamerId: w.streamerId, metrics: w.metrics });
      if (e.rows.length > this.config.BASELINE_MAX_WINDOWS) e.rows.length = this.config.BASELINE_MAX_WINDOWS;
    };
    if (w.streamerId) add(`${tenantId}|streamer|${w.streamerId}|${w.windowSec}`);
    if (w.category) add(`${tenantId}|category|${w.category}|${w.windowSec}`);
  }
}
