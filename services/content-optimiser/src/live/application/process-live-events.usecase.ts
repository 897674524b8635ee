import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CanonicalEvent, EventOf } from '@livepromo/contracts';
import { CONFIG } from '@livepromo/service-kit';
import { JsonLogger, Metrics } from '@livepromo/observability';
import { Counter, Histogram } from 'prom-client';
import {
  addCounters,
  Bucket,
  BUCKET_MS,
  bucketStart,
  closableWindows,
  computeWindowMetrics,
  Counters,
  emptyCounters,
  revisableWindows,
  signalDelta,
  viewersAtRisk,
  WINDOW_SECONDS,
  WindowMetrics,
  WindowSec,
} from '../domain/live-window';
import { ArmPosterior } from '../domain/thompson-sampling';
import { compareWindow, flattenComparison } from '../domain/window-comparison';
import { detect, DETECTOR_THRESHOLDS, Detection } from '../domain/detectors';
import { draftSuggestion } from '../domain/suggestion';
import { measureOutcome } from '../domain/outcome';
import { LiveStateRepository, OutboxTopic, SessionRow, SuggestionRow, WindowRow } from '../infrastructure/live-state.repository';
import { BaselineProvider } from './baseline.provider';
import { ContentOptimiserConfig } from './content-optimiser.config';
import { LIVE_EVENT_TYPES, toSignal } from './live-signal.mapper';
import { OutboxPublisher } from './outbox.publisher';

export const UNCATEGORISED = 'uncategorised';

/** Events arriving later than this after they happened are history (an old session sent late): metrics and baselines, never a live suggestion. */
export const PAST_WINDOW_MS = 3_600_000;
/** Outcome of a strategy = the two 1-minute windows after the one that triggered it. */
export const OUTCOME_WINDOW_SEC = 120;

const sha = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 24);
const iso = (ms: number) => new Date(ms).toISOString();

/** Serialises async work in this process (the two consumers share session state). */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/**
 * The live pipeline for a batch of events: apply each new eventId once to 10-second buckets,
 * advance each session's event-time watermark, close the 10 s / 1 min / 5 min windows it
 * passed, compare them with the previous window and the baselines, run the detectors on the
 * 1-minute windows, draft bandit-chosen suggestions, measure outcomes of accepted ones — all in
 * one transaction with an outbox — then publish the outbox.
 */
@Injectable()
export class ProcessLiveEventsUseCase {
  private readonly mutex = new Mutex();
  private readonly windowsClosed: Counter<'window_sec'>;
  private readonly windowsRevised: Counter<'window_sec'>;
  private readonly suggestionsMade: Counter<'trigger'>;
  private readonly batchSeconds: Histogram<string>;
  private readonly drainSeconds: Histogram<string>;

  constructor(
    @Inject(LiveStateRepository) private readonly repo: LiveStateRepository,
    @Inject(BaselineProvider) private readonly baselines: BaselineProvider,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
    @Inject(CONFIG) private readonly config: ContentOptimiserConfig,
    @Inject(JsonLogger) private readonly log: JsonLogger,
    @Inject(Metrics) metrics: Metrics,
  ) {
    this.windowsClosed = metrics.counter('livepromo_live_windows_closed_total', 'Live windows closed and published', ['window_sec']);
    this.windowsRevised = metrics.counter('livepromo_live_windows_revised_total', 'Closed live windows rewritten by late events', ['window_sec']);
    this.suggestionsMade = metrics.counter('livepromo_live_suggestions_total', 'Suggestions made by trigger', ['trigger']);
    this.batchSeconds = metrics.histogram('livepromo_live_batch_seconds', 'Time to apply one consumed batch (transaction)', [], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
    this.drainSeconds = metrics.histogram('livepromo_live_outbox_seconds', 'Time to publish the outbox after a batch', [], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  }

  /** Serialised with feedback so session state has one writer per process (rows are also locked). */
  runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(fn);
  }

  async execute(events: readonly CanonicalEvent[]): Promise<void> {
    const relevant = events.filter((e) => e.liveSessionId && LIVE_EVENT_TYPES.has(e.type));
    await this.mutex.run(async () => {
      if (relevant.length > 0) {
        const t0 = process.hrtime.bigint();
        await this.repo.transaction((m) => this.apply(m, relevant));
        this.batchSeconds.observe(Number(process.hrtime.bigint() - t0) / 1e9);
      }
      const t1 = process.hrtime.bigint();
      await this.outbox.drain();
      this.drainSeconds.observe(Number(process.hrtime.bigint() - t1) / 1e9);
    });
  }

  /** Publishes whatever a previous run left in the outbox (called at boot). */
  async flushOutbox(): Promise<number> {
    return this.mutex.run(() => this.outbox.drain());
  }

  private async apply(m: EntityManager, events: CanonicalEvent[]): Promise<void> {
    const fresh = await this.repo.claimEvents(
      m,
      dedupe(events.map((e) => ({ tenantId: e.tenantId, eventId: e.eventId, sessionId: e.liveSessionId! })), (r) => `${r.tenantId}\u0000${r.eventId}`),
    );
    const seen = new Set<string>();
    const todo = events.filter((e) => {
      const k = `${e.tenantId}\u0000${e.eventId}`;
      if (!fresh.has(k) || seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    if (todo.length === 0) return;

    // New viewers: the earliest entry of a user in a session, counted once ever.
    const firstEntry = new Map<string, CanonicalEvent>();
    for (const e of todo) {
      if (e.type !== 'live.room.entered' || !e.userId) continue;
      const k = `${e.tenantId}\u0000${e.liveSessionId}\u0000${e.userId}`;
      const prev = firstEntry.get(k);
      if (!prev || Date.parse(e.occurredAt) < Date.parse(prev.occurredAt)) firstEntry.set(k, e);
    }
    const newViewers = await this.repo.claimViewers(
      m,
      [...firstEntry.entries()].map(([, e]) => ({ tenantId: e.tenantId, sessionId: e.liveSessionId!, userId: e.userId!, atMs: Date.parse(e.occurredAt) })),
    );

    // Fold signals into bucket deltas; note per session the span of buckets touched (to revise windows already closed).
    const deltas = new Map<string, { tenantId: string; sessionId: string; start: number; counters: Counters }>();
    const touched = new Map<string, { from: number; to: number }>();
    for (const e of todo) {
      const isNew = e.type === 'live.room.entered' && (!e.userId || (newViewers.has(`${e.tenantId}\u0000${e.liveSessionId}\u0000${e.userId}`) && firstEntry.get(`${e.tenantId}\u0000${e.liveSessionId}\u0000${e.userId}`) === e));
      const s = toSignal(e, isNew);
      if (!s) continue;
      const start = bucketStart(Date.parse(e.occurredAt));
      const k = `${e.tenantId}\u0000${e.liveSessionId}\u0000${start}`;
      let d = deltas.get(k);
      if (!d) deltas.set(k, (d = { tenantId: e.tenantId, sessionId: e.liveSessionId!, start, counters: emptyCounters() }));
      const delta = signalDelta(s);
      addCounters(d.counters, delta);
      const sk = `${e.tenantId}\u0000${e.liveSessionId}`;
      const t = touched.get(sk) ?? { from: Infinity, to: -Infinity };
      t.from = Math.min(t.from, start);
      // entries and exits carry viewers into every later window
      t.to = delta.entered || delta.left ? Infinity : Math.max(t.to, start + BUCKET_MS);
      touched.set(sk, t);
    }
    await this.repo.addToBuckets(m, [...deltas.values()]);

    // Advance sessions, tenant by tenant (sorted: consistent lock order).
    const byTenant = new Map<string, CanonicalEvent[]>();
    for (const e of todo) {
      const list = byTenant.get(e.tenantId) ?? [];
      list.push(e);
      byTenant.set(e.tenantId, list);
    }
    const windows: WindowRow[] = [];
    const revisions: { row: WindowRow; message: EventOf<'live.metrics.computed'> }[] = [];
    const suggestions: SuggestionRow[] = [];
    const out: { topic: OutboxTopic; message: unknown }[] = [];
    for (const tenantId of [...byTenant.keys()].sort()) {
      const tevents = byTenant.get(tenantId)!;
      const sessions = await this.repo.lockSessions(m, tenantId, tevents.map((e) => e.liveSessionId!));
      for (const e of tevents) updateSessionMeta(sessions.get(e.liveSessionId!)!, e);
      // sessions fed by a backfill (imports, ?mode=backfill), or whose freshest event in this batch arrived more than
      // PAST_WINDOW_MS after it happened, are history: windows and baselines, no live suggestions
      const historical = historicalSessions(tevents);
      // Windows closed before this batch that its events land in (late events, or the other topic ahead): recomputed below.
      const plans = [...sessions.values()]
        .map((s) => ({ s, plan: this.plan(s), late: this.revisions(s, touched.get(`${tenantId}\u0000${s.sessionId}`)) }))
        .filter((p) => p.plan.some((x) => x.starts.length > 0) || p.late.some((x) => x.starts.length > 0));
      if (plans.length > 0) {
        const ids = plans.map((p) => p.s.sessionId);
        const pending = await this.repo.pendingOutcomesFor(m, tenantId, ids);
        // Oldest bucket needed: the previous window of each closing window, and accepted suggestions' triggering minute.
        const from = new Map<string, number>();
        for (const { s, plan, late } of plans) {
          let f = Infinity;
          for (const { sec, starts } of [...plan, ...late]) if (starts.length) f = Math.min(f, starts[0] - sec * 1000);
          for (const p of pending.get(s.sessionId) ?? []) f = Math.min(f, p.windowEndMs - 60_000);
          from.set(s.sessionId, f);
        }
        const buckets = await this.repo.loadBucketsFor(m, tenantId, from);
        const arms = await this.repo.loadTenantArms(m, tenantId);
        for (const { s, plan, late } of plans) {
          await this.revise(m, s, late, buckets.get(s.sessionId) ?? [], revisions);
          await this.advance(m, s, plan, buckets.get(s.sessionId) ?? [], arms, windows, suggestions, out, historical.has(s.sessionId));
          await this.measureOutcomes(m, s, buckets.get(s.sessionId) ?? [], pending.get(s.sessionId) ?? []);
        }
      }
      await this.repo.saveSessions(m, [...sessions.values()]);
    }
    const newWindows = await this.repo.insertWindows(m, windows);
    // A revised window is rewritten and published again (new eventId); detectors do not run on it, so a correction never fires a suggestion.
    const revised = await this.repo.reviseWindows(
      m,
      revisions.map((r) => r.row),
    );
    const revisedKeys = new Set<string>();
    for (const { row: w, message } of revisions) {
      const k = `${w.sessionId}|${w.windowSec}|${w.windowEndMs}`;
      if (!revised.has(k)) continue;
      this.windowsRevised.inc({ window_sec: String(w.windowSec) });
      revisedKeys.add(k);
      // its own eventId (the first publication's is taken): derived from the revised metrics, so deterministic
      out.push({ topic: 'live.metrics.v1', message: { ...message, eventId: `lm_${sha(`${message.eventId}|${JSON.stringify(w.metrics)}`)}` } });
    }
    const newSuggestions = await this.repo.insertSuggestions(m, suggestions);
    for (const w of windows) {
      if (!newWindows.has(`${w.sessionId}|${w.windowSec}|${w.windowEndMs}`)) continue;
      this.windowsClosed.inc({ window_sec: String(w.windowSec) });
      this.baselines.remember(w.tenantId, w);
    }
    for (const s of suggestions) if (newSuggestions.has(s.suggestionId)) this.suggestionsMade.inc({ trigger: s.trigger });
    await this.repo.enqueue(
      m,
      out.filter((o) => {
        const e = o.message as { eventId: string; liveSessionId: string };
        if (o.topic === 'live.suggestions.v1') return newSuggestions.has(e.eventId);
        const p = (o.message as EventOf<'live.metrics.computed'>).payload;
        if (revisedKeys.has(`${e.liveSessionId}|${p.windowSec}|${Date.parse(p.windowEnd)}`)) return true;
        return newWindows.has(`${e.liveSessionId}|${p.windowSec}|${Date.parse(p.windowEnd)}`);
      }),
    );
  }

  /** Which windows of each length the session's watermark has passed. */
  private plan(s: SessionRow): { sec: WindowSec; starts: number[] }[] {
    // Windows close on the clean events' clock: classifications (their own topic, possibly ahead of a lagging
    // events.clean.v1 consumer) never close a window. Sessions closed before this clock existed keep the watermark.
    const clock = s.closedUntil.clean ?? (s.closedUntil[10] !== undefined ? s.watermarkMs : null);
    if (s.watermarkMs === null || clock === null || clock === undefined) return [];
    const wm = clock - this.config.WINDOW_LATENESS_MS;
    // An ended session closes every window up to the one holding its end.
    const effective = (sec: number) => (s.endedAtMs === null ? wm : Math.max(wm, Math.ceil((s.endedAtMs + 1) / (sec * 1000)) * sec * 1000));
    const origin = s.closedUntil.origin ?? s.watermarkMs;
    return WINDOW_SECONDS.map((sec) => ({
      sec,
      starts: closableWindows(s.closedUntil[sec] ?? Math.floor(origin / (sec * 1000)) * sec * 1000, effective(sec), sec),
    }));
  }

  /** Closed windows of each length that this batch's buckets of the session (span `t`) change. */
  private revisions(s: SessionRow, t: { from: number; to: number } | undefined): { sec: WindowSec; starts: number[] }[] {
    if (!t) return [];
    return WINDOW_SECONDS.map((sec) => ({ sec, starts: revisableWindows(s.closedUntil[sec], t.from, t.to, sec) }));
  }

  /** Recomputes already closed windows from the buckets (metrics, comparison, worst metric); no detectors. */
  private async revise(
    m: EntityManager,
    s: SessionRow,
    late: { sec: WindowSec; starts: number[] }[],
    buckets: Bucket[],
    out: { row: WindowRow; message: EventOf<'live.metrics.computed'> }[],
  ): Promise<void> {
    for (const { sec, starts } of late) {
      if (starts.length === 0) continue;
      const base = await this.baselines.forSession(s.tenantId, s.sessionId, s.streamerId, s.category, sec, m);
      for (const start of starts) out.push(this.buildWindow(s, sec, start, buckets, base));
    }
  }

  /** One window's metrics, comparison, stored row and published message. */
  private buildWindow(s: SessionRow, sec: WindowSec, start: number, buckets: Bucket[], base: { streamer: WindowMetrics[]; category: WindowMetrics[] }) {
    const origin = s.closedUntil.origin ?? s.watermarkMs!;
    const len = sec * 1000;
    const end = start + len;
    const cur = computeWindowMetrics(buckets, start, sec);
    const prev = start - len >= Math.floor(origin / len) * len ? computeWindowMetrics(buckets, start - len, sec) : null;
    const cmp = compareWindow(cur, prev, base.streamer, base.category);
    const flat = flattenComparison(cmp);
    const message: EventOf<'live.metrics.computed'> = {
      eventId: `lm_${sha(`${s.tenantId}|${s.sessionId}|${sec}|${end}`)}`,
      tenantId: s.tenantId,
      type: 'live.metrics.computed',
      source: 'livepromo',
      occurredAt: iso(end),
      receivedAt: new Date().toISOString(),
      liveSessionId: s.sessionId,
      ...(s.streamerId ? { streamerId: s.streamerId } : {}),
      schemaVersion: 1,
      payload: { windowSec: sec, windowEnd: iso(end), metrics: flat, ...(cmp.worstMetric ? { worstMetric: cmp.worstMetric } : {}) },
    };
    const row: WindowRow = {
      tenantId: s.tenantId,
      sessionId: s.sessionId,
      windowSec: sec,
      windowEndMs: end,
      streamerId: s.streamerId,
      category: s.category,
      metrics: cur,
      published: { ...message.payload, worstBasis: cmp.worstBasis ?? null, worstScore: cmp.worstScore ?? null },
      worstMetric: cmp.worstMetric ?? null,
    };
    return { row, message, cmp, prev };
  }

  /** Closes the planned windows; collects windows, suggestions and messages. */
  private async advance(
    m: EntityManager,
    s: SessionRow,
    plan: { sec: WindowSec; starts: number[] }[],
    buckets: Bucket[],
    arms: Map<string, ArmPosterior[]>,
    windows: WindowRow[],
    suggestions: SuggestionRow[],
    out: { topic: OutboxTopic; message: unknown }[],
    historical = false,
  ): Promise<void> {
    const category = s.category ?? UNCATEGORISED;
    for (const { sec, starts } of plan) {
      if (starts.length === 0) continue;
      const len = sec * 1000;
      const base = await this.baselines.forSession(s.tenantId, s.sessionId, s.streamerId, s.category, sec, m);
      for (const start of starts) {
        const end = start + len;
        const { row, message, cmp, prev } = this.buildWindow(s, sec, start, buckets, base);
        windows.push(row);
        out.push({ topic: 'live.metrics.v1', message });

        if (sec === DETECTOR_THRESHOLDS.windowSec && (s.endedAtMs === null || start <= s.endedAtMs) && !historical) {
          for (const d of detect(cmp, prev, viewersAtRisk(buckets, start, sec))) {
            const last = s.lastFired[d.trigger];
            if (last !== undefined && end - last < DETECTOR_THRESHOLDS.cooldownSec * 1000) continue;
            s.lastFired[d.trigger] = end;
            const row = this.suggest(s, category, d, end, arms.get(`${category}|${d.trigger}`) ?? []);
            suggestions.push(row);
            out.push({ topic: 'live.suggestions.v1', message: row.payload });
          }
        }
      }
      s.closedUntil[sec] = starts[starts.length - 1] + len;
    }
  }

  private suggest(s: SessionRow, category: string, d: Detection, endMs: number, arms: ArmPosterior[]): SuggestionRow {
    const decisionKey = `${s.tenantId}|${s.sessionId}|${d.trigger}|${endMs}`;
    const draft = draftSuggestion(d, arms, this.config.BANDIT_SEED, decisionKey);
    const suggestionId = `sg_${sha(decisionKey)}`;
    const message: EventOf<'live.suggestion.made'> = {
      eventId: suggestionId,
      tenantId: s.tenantId,
      type: 'live.suggestion.made',
      source: 'livepromo',
      occurredAt: iso(endMs),
      receivedAt: new Date().toISOString(),
      liveSessionId: s.sessionId,
      ...(s.streamerId ? { streamerId: s.streamerId } : {}),
      schemaVersion: 1,
      payload: {
        suggestionId,
        strategy: draft.strategy,
        trigger: draft.trigger,
        reason: draft.reason.slice(0, 1000),
        evidence: { ...draft.evidence, windowEndMs: endMs },
        expectedUplift: draft.expectedUplift,
        confidence: draft.confidence,
      },
    };
    return {
      tenantId: s.tenantId,
      suggestionId,
      sessionId: s.sessionId,
      category,
      trigger: d.trigger,
      strategy: draft.strategy,
      windowEndMs: endMs,
      payload: message,
      feedback: null,
      outcome: null,
    };
  }

  /**
   * For accepted suggestions whose two following minutes are closed: outcome = change from the
   * triggering minute to those two minutes; the strategy's posterior gets the reward.
   */
  async measureOutcomes(m: EntityManager, s: SessionRow, buckets?: Bucket[], candidates?: SuggestionRow[]): Promise<number> {
    const closed = s.closedUntil[60];
    if (closed === undefined) return 0;
    const pending = (candidates ?? (await this.repo.pendingOutcomes(m, s.tenantId, s.sessionId))).filter((p) => p.windowEndMs + OUTCOME_WINDOW_SEC * 1000 <= closed);
    if (pending.length === 0) return 0;
    const b = buckets ?? (await this.repo.loadBuckets(m, s.tenantId, s.sessionId));
    for (const p of pending) {
      const before: WindowMetrics = computeWindowMetrics(b, p.windowEndMs - 60_000, 60);
      const after: WindowMetrics = computeWindowMetrics(b, p.windowEndMs, OUTCOME_WINDOW_SEC);
      const outcome = measureOutcome(before, after);
      await this.repo.setOutcome(m, s.tenantId, p.suggestionId, outcome);
      await this.repo.rewardArm(m, s.tenantId, p.category, p.trigger, p.strategy, outcome.reward);
      this.log.debug('strategy outcome measured', { tenantId: s.tenantId, suggestionId: p.suggestionId, strategy: p.strategy, reward: outcome.reward });
    }
    return pending.length;
  }
}

function dedupe<T>(rows: T[], key: (r: T) => string): T[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = key(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Sessions of a batch that are history, not live: any event arrived as backfill (`ingest.mode`), or even the
 * freshest event arrived (receivedAt) more than PAST_WINDOW_MS after it happened (occurredAt). Measured on the
 * events themselves, so a replay gets the same verdict as the first pass.
 */
export function historicalSessions(events: readonly CanonicalEvent[]): Set<string> {
  const minLag = new Map<string, number>();
  const out = new Set<string>();
  for (const e of events) {
    const id = e.liveSessionId!;
    if (e.ingest?.mode === 'backfill') out.add(id);
    const lag = Date.parse(e.receivedAt) - Date.parse(e.occurredAt);
    minLag.set(id, Math.min(minLag.get(id) ?? Infinity, Number.isNaN(lag) ? 0 : lag));
  }
  for (const [id, lag] of minLag) if (lag > PAST_WINDOW_MS) out.add(id);
  return out;
}

/** Session metadata from an event: streamer, category, start/end, watermark, origin of the first windows. */
function updateSessionMeta(s: SessionRow, e: CanonicalEvent): void {
  const at = Date.parse(e.occurredAt);
  if (!s.streamerId && e.streamerId) s.streamerId = e.streamerId;
  if (e.type === 'live.session.started') {
    s.startedAtMs = s.startedAtMs === null ? at : Math.min(s.startedAtMs, at);
    if (e.payload.category) s.category = e.payload.category;
  }
  if (e.type === 'live.session.ended') s.endedAtMs = at;
  // the clock windows close on: events.clean.v1 only (a classification can run ahead of the clean events of its minute)
  if (e.type !== 'comment.classified') s.closedUntil.clean = Math.max(s.closedUntil.clean ?? at, at);
  s.watermarkMs = s.watermarkMs === null ? at : Math.max(s.watermarkMs, at);
  // The first window of each length starts at the earliest event seen before it closed.
  s.closedUntil.origin = s.closedUntil.origin === undefined ? at : Math.min(s.closedUntil.origin, at);
}
