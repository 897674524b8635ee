import { Inject, Injectable, Optional } from '@nestjs/common';
import { CanonicalEvent, DeadLetter, RawEvent, RejectionCode } from '@livepromo/contracts';
import { ConsumedMessage, MessageBus } from '@livepromo/messaging';
import { CONFIG } from '@livepromo/service-kit';
import { Metrics } from '@livepromo/observability';
import type { CleaningConfig } from '../cleaning.config';
import { BotDetector, BotSignal } from '../domain/bot-detector';
import { cleanRawEvent, CleaningCode, CleaningPolicy, predatesErasure, watchLongerThanSession } from '../domain/clean-event';
import { botTrafficNotice, sessionsToAnnounce } from '../domain/bot-traffic-notice';
import { contentFingerprint } from '../domain/fingerprint';
import { CleaningRepository, DiscardRow } from '../infrastructure/cleaning.repository';
import { streamOutcomeRows } from './stream-outcomes';
import { importOutcomeNotice } from '../domain/import-outcome-notice';
import { deadLetterRow } from './dead-letter-row';
import { CleanTopicProbe } from '../infrastructure/clean-topic.probe';
import { DedupStore } from '../infrastructure/dedup.store';
import { TestAccountDirectory } from '../infrastructure/test-account.directory';
import { ErasedUserDirectory } from '../infrastructure/erased-user.directory';

export interface BatchSummary {
  clean: number;
  deadLettered: number;
  discarded: number;
  /** Redelivered messages whose effects had completed before (skipped). */
  skippedAlreadyHandled: number;
  /** Redelivered messages whose effects had not been confirmed (handled again, idempotently). */
  redone: number;
}

interface Candidate {
  msg: ConsumedMessage<RawEvent>;
  token: string;
  event: CanonicalEvent;
  occurredAtMs: number;
  cnyMinor: number;
  fingerprint: string;
}

const SESSION_START_TTL_MS = 3 * 24 * 3600_000;
/** Clock margin when looking for events published since a claim (same host's clock in practice). */
const PROBE_MARGIN_MS = 10_000;

/**
 * One batch from `ingest.raw.v1`, in the order that keeps "nothing lost":
 * 1. pure cleaning of each message (size, type, source, timestamps, text, money, schema, impossible, future, late);
 * 2. watch time against the session start (Redis);
 * 3. dedup claims for eventId and content fingerprint (one Redis pipeline);
 * 4. de-noising: erased users (event at or before the user's erasure tombstone), test accounts, bot signals;
 * 5. durable effects, together: counted discards and dead letters in Postgres (idempotent by position),
 *    clean events and dead letters on Kafka (acks=all);
 * 6. cumulative bot traffic of the sessions this batch touched on `events.quality.v1` (read back from the
 *    rows step 5 wrote, so ROI can discount it); then the partition's done-offset in Redis.
 * The bus commits the offsets after this resolves.
 */
@Injectable()
export class CleanBatchUseCase {
  private readonly policy: CleaningPolicy;
  private readonly bots: BotDetector;
  private readonly outcomes;
  private readonly cny;

  constructor(
    @Inject(CONFIG) private readonly config: CleaningConfig,
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(CleaningRepository) private readonly repo: CleaningRepository,
    @Inject(DedupStore) private readonly dedup: DedupStore,
    @Inject(TestAccountDirectory) private readonly testAccounts: TestAccountDirectory,
    @Inject(Metrics) metrics: Metrics,
    @Inject(ErasedUserDirectory) private readonly erased: ErasedUserDirectory,
    @Optional() @Inject(CleanTopicProbe) private readonly probe?: CleanTopicProbe,
  ) {
    this.policy = {
      maxEventBytes: config.MAX_EVENT_BYTES,
      defaultCurrency: config.DEFAULT_CURRENCY,
      fxToCny: config.FX_TO_CNY,
      naiveOffsetMinutes: config.NAIVE_TIME_OFFSET,
      onTimeMs: config.ON_TIME_MS,
      allowedLatenessMs: config.ALLOWED_LATENESS_MS,
      futureSkewMs: config.FUTURE_SKEW_MS,
      maxSessionSec: config.MAX_SESSION_SEC,
    };
    this.bots = new BotDetector({
      rateWindowMs: config.BOT_RATE_WINDOW_MS,
      rateMax: config.BOT_RATE_MAX,
      repeatWindowMs: config.BOT_REPEAT_WINDOW_MS,
      repeatMax: config.BOT_REPEAT_MAX,
      likeWindowMs: config.BOT_LIKE_WINDOW_MS,
      likeMax: config.BOT_LIKE_MAX,
    });
    this.outcomes = metrics.counter('livepromo_cleaning_events_total', 'Raw events by outcome (clean, dead_lettered, discarded) and reason', ['outcome', 'reason']);
    this.cny = metrics.counter('livepromo_cleaning_money_cny_minor_total', 'CNY equivalent (fen, FX_TO_CNY) of money fields in clean events, by type', ['type']);
  }

  async execute(messages: readonly ConsumedMessage<RawEvent>[]): Promise<BatchSummary> {
    const now = new Date().toISOString();
    const letters: DeadLetter[] = [];
    const discards: DiscardRow[] = [];
    const candidates: Candidate[] = [];
    const letterUsers: (string | null)[] = [];
    const letter = (msg: ConsumedMessage<RawEvent>, reason: string, message: string, details?: unknown) => {
      letters.push(this.deadLetter(msg, reason, message, details, now));
      letterUsers.push(msg.value.userId ?? null);
    };

    // 1. pure cleaning
    for (const msg of messages) {
      const v = cleanRawEvent(msg.value, msg.raw.length, this.policy);
      if (!v.ok) {
        letter(msg, v.code, v.message, v.details);
        continue;
      }
      const e = v.event;
      candidates.push({
        msg,
        token: `${msg.partition}:${msg.offset}`,
        event: e,
        occurredAtMs: v.occurredAtMs,
        cnyMinor: v.cnyMinor,
        fingerprint: contentFingerprint(
          { tenantId: e.tenantId, type: e.type, userId: e.userId, liveSessionId: e.liveSessionId, streamerId: e.streamerId, courseId: e.courseId, occurredAtMs: v.occurredAtMs, payload: e.payload },
          this.config.FINGERPRINT_BUCKET_MS,
          this.config.FINGERPRINT_EXACT_TYPES.has(e.type),
        ),
      });
    }

    // 2. watch time longer than the session (session starts kept in Redis)
    const starts = new Map<string, number>();
    for (const c of candidates) {
      if (c.event.type === 'live.session.started' && c.event.liveSessionId) starts.set(`${c.event.tenantId}:${c.event.liveSessionId}`, c.occurredAtMs);
    }
    const leaves = candidates.filter((c) => c.event.type === 'live.room.left' && c.event.liveSessionId);
    const unknown = [...new Set(leaves.map((c) => `${c.event.tenantId}:${c.event.liveSessionId}`).filter((k) => !starts.has(k)))];
    const known = new Map(starts);
    if (unknown.length) (await this.dedup.sessionStarts(unknown)).forEach((v, i) => v !== null && known.set(unknown[i], v));
    const kept: Candidate[] = [];
    for (const c of candidates) {
      if (c.event.type === 'live.room.left') {
        const start = known.get(`${c.event.tenantId}:${c.event.liveSessionId}`) ?? null;
        if (watchLongerThanSession(c.event.payload.watchSec, c.occurredAtMs, start, this.config.FUTURE_SKEW_MS)) {
          letter(c.msg, RejectionCode.ImpossibleValue, `watchSec ${c.event.payload.watchSec} is longer than the session so far (started ${new Date(start ?? 0).toISOString()})`, {
            path: 'payload.watchSec',
            sessionStartedAt: new Date(start ?? 0).toISOString(),
          });
          continue;
        }
      }
      kept.push(c);
    }

    // 3. dedup: eventId and content fingerprint, one pipeline
    const claims = kept.flatMap((c) => [
      { key: `id:${c.event.tenantId}:${c.event.eventId}`, partition: c.msg.partition, offset: c.msg.offset },
      { key: `fp:${c.event.tenantId}:${c.fingerprint}`, partition: c.msg.partition, offset: c.msg.offset },
    ]);
    const states = await this.dedup.claim(claims, this.config.DEDUP_WINDOW_MS);
    let proceed: Candidate[] = [];
    const pending: Candidate[] = [];
    const pendingSince = new Map<Candidate, number>();
    let skipped = 0;
    let redone = 0;
    const discard = (c: Candidate, reason: string, signal: BotSignal | null = null) =>
      discards.push({
        partition: c.msg.partition,
        offset: c.msg.offset,
        tenantId: c.event.tenantId,
        eventId: c.event.eventId,
        eventType: c.event.type,
        reason,
        signal,
        liveSessionId: c.event.liveSessionId ?? null,
        // an erased user's discard keeps no user id (the erasure must leave no row naming the user)
        userId: reason === CleaningCode.ErasedUser ? null : (c.event.userId ?? null),
        occurredAt: c.event.occurredAt,
      });
    kept.forEach((c, i) => {
      const id = states[2 * i].state;
      const fp = states[2 * i + 1].state;
      if (id === 'mine-done') {
        skipped++;
        return;
      }
      if (id === 'other') discard(c, CleaningCode.DuplicateEventId);
      else if (fp === 'other') discard(c, CleaningCode.DuplicateFingerprint);
      else {
        if (id === 'mine-pending') {
          pending.push(c);
          pendingSince.set(c, states[2 * i].claimedAtMs ?? 0);
        }
        proceed.push(c);
      }
    });
    // a message claimed before a crash: if its discard was recorded, that verdict stands
    if (pending.length) {
      const recorded = await this.repo.recordedDiscards(pending.map((c) => ({ partition: c.msg.partition, offset: c.msg.offset })));
      const stands = new Set(pending.filter((c) => recorded.has(c.token)));
      skipped += stands.size;
      redone = pending.length - stands.size;
      if (stands.size) proceed = proceed.filter((c) => !stands.has(c));
    }

    // 4. de-noise
    let clean: CanonicalEvent[] = [];
    let cnyByType: Record<string, number> | null = null;
    for (const c of proceed) {
      const e = c.event;
      if (predatesErasure(c.occurredAtMs, this.erased.erasedAt(e.tenantId, e.userId))) {
        discard(c, CleaningCode.ErasedUser);
        continue;
      }
      if (this.testAccounts.isTestAccount(e.tenantId, e.userId)) {
        discard(c, CleaningCode.TestAccount);
        continue;
      }
      if (e.liveSessionId && e.type.startsWith('live.')) {
        const signal = this.bots.observe({
          eventId: e.eventId,
          tenantId: e.tenantId,
          liveSessionId: e.liveSessionId,
          userId: e.userId,
          type: e.type,
          atMs: c.occurredAtMs,
          text: e.type === 'live.comment.posted' ? e.payload.text : undefined,
          likes: e.type === 'live.like' ? e.payload.count : undefined,
        });
        if (signal) {
          discard(c, CleaningCode.BotTraffic, signal);
          continue;
        }
      }
      clean.push(e);
      if (c.cnyMinor) {
        cnyByType ??= {};
        cnyByType[e.type] = (cnyByType[e.type] ?? 0) + c.cnyMinor;
      }
    }

    // 4b. a redelivered batch whose effects were not confirmed may have been published before the crash
    // (killed between Kafka's ack and the confirmation): do not publish those events twice
    if (this.probe && pendingSince.size) {
      const pendingEvents = new Set([...pendingSince.keys()].map((c) => c.event));
      const redoClean = new Set(clean.filter((e) => pendingEvents.has(e)).map((e) => e.eventId));
      if (redoClean.size) {
        const since = Math.min(...pendingSince.values()) - PROBE_MARGIN_MS;
        const already = await this.probe.alreadyPublished(redoClean, since);
        if (already.size) clean = clean.filter((e) => !already.has(e.eventId));
      }
    }

    // 5. durable effects, then confirm the claims
    // (a discard row written without its message's confirmation is harmless: nothing else was effected for it)
    // backfill streams (import jobs) also get one outcome row per message, so their totals can be announced
    const streamRows = streamOutcomeRows(letters, discards, kept, proceed);
    await Promise.all([
      streamRows.length ? this.repo.recordStreamOutcomes(streamRows) : undefined,
      discards.length || letters.length ? this.repo.recordOutcomes(letters.map((l, i) => deadLetterRow(l, letterUsers[i])), discards) : undefined,
      starts.size ? this.dedup.recordSessionStarts(starts, SESSION_START_TTL_MS) : undefined,
      // every clean event was just validated against its canonical schema (and derived types refused): skip the bus's second pass
      clean.length ? this.bus.publish('events.clean.v1', clean, { prevalidated: true }) : undefined,
      letters.length ? this.bus.deadLetter(letters) : undefined,
    ]);

    // 6. bot traffic totals (after the discard rows are durable; a crash before this redoes the batch,
    // and its redelivered live events bring their sessions back here)
    const announce = sessionsToAnnounce(
      discards.filter((d) => d.reason === CleaningCode.BotTraffic),
      pending.map((c) => c.event),
    );
    if (announce.length) {
      const totals = (await this.repo.botTotals(announce)).filter((t) => t.events > 0);
      if (totals.length) await this.bus.publish('events.quality.v1', totals.map((t) => botTrafficNotice(t, now)));
    }
    // 6b. cumulative outcomes of the import jobs this batch touched (ingestion keeps them in the job row)
    const streams = new Map<string, { tenantId: string; streamId: string }>();
    for (const r of streamRows) streams.set(`${r.tenantId}\u0000${r.streamId}`, { tenantId: r.tenantId, streamId: r.streamId });
    for (const c of pending) if (c.event.ingest?.streamId) streams.set(`${c.event.tenantId}\u0000${c.event.ingest.streamId}`, { tenantId: c.event.tenantId, streamId: c.event.ingest.streamId });
    if (streams.size) {
      const byStream = new Map<string, { outcome: string; n: number }[]>();
      for (const t of await this.repo.streamTotals([...streams.values()])) {
        const k = `${t.tenantId}\u0000${t.streamId}`;
        byStream.set(k, [...(byStream.get(k) ?? []), t]);
      }
      const notices = [...byStream.entries()].map(([k, counts]) => importOutcomeNotice(streams.get(k)!.tenantId, streams.get(k)!.streamId, counts, now));
      if (notices.length) await this.bus.publish('events.quality.v1', notices);
    }
    const last = new Map<number, string>();
    for (const msg of messages) {
      const prev = last.get(msg.partition);
      if (prev === undefined || BigInt(msg.offset) > BigInt(prev)) last.set(msg.partition, msg.offset);
    }
    await this.dedup.confirm(last, this.config.DEDUP_WINDOW_MS);

    if (clean.length) this.outcomes.inc({ outcome: 'clean', reason: 'ok' }, clean.length);
    for (const l of letters) this.outcomes.inc({ outcome: 'dead_lettered', reason: l.reason });
    for (const d of discards) this.outcomes.inc({ outcome: 'discarded', reason: d.signal ? `${d.reason}:${d.signal}` : d.reason });
    if (cnyByType) for (const [type, v] of Object.entries(cnyByType)) this.cny.inc({ type }, v);
    return { clean: clean.length, deadLettered: letters.length, discarded: discards.length, skippedAlreadyHandled: skipped, redone };
  }

  private deadLetter(msg: ConsumedMessage<RawEvent>, reason: string, message: string, details: unknown, failedAt: string): DeadLetter {
    return {
      deadLetterId: `cleaning-${msg.partition}-${msg.offset}`,
      reason,
      message: message.slice(0, 4000),
      service: 'cleaning',
      attempts: 0,
      failedAt,
      originalTopic: msg.topic,
      originalPartition: msg.partition,
      originalOffset: msg.offset,
      originalKey: msg.key,
      originalBase64: msg.raw.toString('base64'),
      tenantId: msg.value.tenantId,
      eventId: msg.value.eventId,
      eventType: msg.value.type.slice(0, 256),
      details,
    };
  }
}
