import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CanonicalEvent, EventOf } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { Metrics } from '@livepromo/observability';
import type { Counter } from 'prom-client';
import { Implausible, implausibleAmount, mapEvent } from '../domain/ledger-entry';
import { BatchWrite, BatchWriteResult, LedgerRepository } from '../infrastructure/ledger.repository';
import { ROI_CONFIG, RoiConfig } from '../roi.config';

const MAX_KEYS_PER_NOTICE = 10_000;
const NOTICE_DIMENSIONS = ['session', 'streamer', 'course', 'channel', 'day'] as const;

export interface ApplyOutcome extends BatchWriteResult {
  events: number;
  notices: number;
  /** Events kept out of the ledger (index into the batch, why): the caller dead-letters them. */
  rejected: { index: number; why: Implausible }[];
}

/**
 * Applies a batch of clean events to the ledger in one transaction (idempotent by eventId),
 * then publishes one coalesced `roi.updated` per tenant and dimension naming the keys the batch touched.
 */
@Injectable()
export class ApplyCleanEventsUseCase {
  private readonly counter: Counter<'outcome'>;

  constructor(
    @Inject(LedgerRepository) private readonly ledger: LedgerRepository,
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ROI_CONFIG) private readonly config: RoiConfig,
    @Inject(Metrics) metrics: Metrics,
  ) {
    this.counter = metrics.counter('livepromo_roi_rows_total', 'Ledger rows and funnel facts written by the roi consumer', ['outcome']);
  }

  async execute(events: readonly CanonicalEvent[]): Promise<ApplyOutcome> {
    const write: BatchWrite = { ledger: [], funnel: [], rules: [] };
    const rejected: ApplyOutcome['rejected'] = [];
    for (const [index, e] of events.entries()) {
      const why = implausibleAmount(e, this.config.amountCap);
      if (why) {
        rejected.push({ index, why });
        continue;
      }
      const m = mapEvent(e, this.config.ledger);
      write.ledger.push(...m.ledger);
      write.funnel.push(...m.funnel);
      write.rules.push(...m.rules);
    }
    const empty: BatchWriteResult = {
      ledgerInserted: 0,
      funnelInserted: 0,
      rulesInserted: 0,
      reattributed: 0,
      derivedRows: 0,
      reattributedSessions: new Map(),
    };
    if (rejected.length) this.counter.inc({ outcome: 'implausible_amount' }, rejected.length);
    if (write.ledger.length + write.funnel.length + write.rules.length === 0) return { ...empty, events: events.length, notices: 0, rejected };
    const res = await this.ledger.applyBatch(write, this.config.attributionWindowSec);
    this.counter.inc({ outcome: 'ledger_inserted' }, res.ledgerInserted);
    this.counter.inc({ outcome: 'ledger_duplicate' }, write.ledger.length - res.ledgerInserted);
    this.counter.inc({ outcome: 'funnel_inserted' }, res.funnelInserted);
    this.counter.inc({ outcome: 'derived' }, res.derivedRows);
    const notices = this.notices(write, res);
    if (notices.length) await this.bus.publish('roi.updated.v1', notices);
    return { ...res, events: events.length, notices: notices.length, rejected };
  }

  /** Keys touched per tenant and dimension (also on redelivery, so a retried batch still announces its keys). */
  private notices(w: BatchWrite, res: BatchWriteResult): EventOf<'roi.updated'>[] {
    const touched = new Map<string, Record<(typeof NOTICE_DIMENSIONS)[number], Set<string>>>();
    const of = (t: string) => {
      let v = touched.get(t);
      if (!v) touched.set(t, (v = { session: new Set(), streamer: new Set(), course: new Set(), channel: new Set(), day: new Set() }));
      return v;
    };
    for (const r of [...w.ledger, ...w.funnel]) {
      const v = of(r.tenantId);
      if (r.sessionId) v.session.add(r.sessionId);
      if (r.streamerId) v.streamer.add(r.streamerId);
      if (r.courseId) v.course.add(r.courseId);
      if (r.channel) v.channel.add(r.channel);
      v.day.add(r.day);
    }
    for (const r of w.rules) {
      const v = of(r.tenantId);
      if (r.sessionId) v.session.add(r.sessionId);
      if (r.streamerId) v.streamer.add(r.streamerId);
    }
    for (const [t, sessions] of res.reattributedSessions) for (const s of sessions) of(t).session.add(s);
    const now = new Date().toISOString();
    const out: EventOf<'roi.updated'>[] = [];
    for (const [tenantId, dims] of touched) {
      for (const dimension of NOTICE_DIMENSIONS) {
        const keys = [...dims[dimension]].sort();
        for (let i = 0; i < keys.length; i += MAX_KEYS_PER_NOTICE) {
          out.push({
            eventId: `roi-updated-${randomUUID()}`,
            tenantId,
            type: 'roi.updated',
            source: 'livepromo',
            occurredAt: now,
            receivedAt: now,
            schemaVersion: 1,
            payload: { dimension, keys: keys.slice(i, i + MAX_KEYS_PER_NOTICE) },
          });
        }
      }
    }
    return out;
  }
}
