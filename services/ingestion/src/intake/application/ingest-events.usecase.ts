import { Inject, Injectable } from '@nestjs/common';
import { RawEvent, Source } from '@livepromo/contracts';
import { CONFIG, DomainError, ErrorCode, MAX_JSON_DEPTH, valueProblem } from '@livepromo/service-kit';
import { Metrics } from '@livepromo/observability';
import { Counter, Histogram } from 'prom-client';
import { IngestionConfig } from '../../ingestion.config';
import { ackedOrUnavailable } from '../../common/publish-with-timeout';
import { TenantSettingsService } from '../../tenants/application/tenant-settings.service';
import { pseudonymiseUserId } from '../../tenants/domain/pseudonymise';
import { BatchResult, ItemOutcome, ItemResult } from '../domain/intake-result';
import { normaliseEnvelope } from '../domain/normalise-envelope';
import { RawEventPublisher } from '../infrastructure/raw-event.publisher';
import { TenantRateLimiter } from '../infrastructure/tenant-rate-limiter';
import { IntakeRejectionStats } from '../infrastructure/intake-rejection.stats';

/** An item as submitted: a parsed value, or an outcome already decided (a bad NDJSON line, an unmappable notification). */
export type SubmittedItem = { value: unknown } | { outcome: Extract<ItemOutcome, { ok: false }> };

export interface IngestCommand {
  tenantId: string;
  items: SubmittedItem[];
  defaultSource: Source;
  /** For metrics: http, webhook:<platform>, import. */
  channel: string;
  /** Size of the submission in bytes (to bound merged Kafka sends); default 300 per event. */
  approxBytes?: number;
  /** Backfill (imports, `?mode=backfill`) and its stream id; absent = live. Stamped on every envelope as `ingest`. */
  ingest?: { mode: 'live' | 'backfill'; streamId?: string };
}

/**
 * The one intake path (HTTP batch, single event, webhooks, import jobs): size check, per-tenant rate
 * limit, envelope normalisation and validation per item, then one publish of every accepted event to
 * `ingest.raw.v1`, awaited until Kafka acknowledged it (acks=all). Only then is the result returned
 * (→ 202); if Kafka does not acknowledge, 503 and nothing is reported accepted.
 */
@Injectable()
export class IngestEventsUseCase {
  private readonly outcomes: Counter<'tenant' | 'channel' | 'outcome' | 'code'>;
  private readonly publishLatency: Histogram<'outcome'>;
  private readonly metrics: Metrics;

  constructor(
    @Inject(RawEventPublisher) private readonly publisher: RawEventPublisher,
    @Inject(TenantRateLimiter) private readonly limiter: TenantRateLimiter,
    @Inject(TenantSettingsService) private readonly settings: TenantSettingsService,
    @Inject(CONFIG) private readonly config: IngestionConfig,
    @Inject(Metrics) metrics: Metrics,
    @Inject(IntakeRejectionStats) private readonly rejections: IntakeRejectionStats,
  ) {
    this.metrics = metrics;
    this.outcomes = metrics.counter('livepromo_ingestion_events_total', 'Submitted events by tenant, channel, outcome and rejection code', [
      'tenant',
      'channel',
      'outcome',
      'code',
    ]);
    this.publishLatency = metrics.histogram(
      'livepromo_ingestion_kafka_publish_seconds',
      'Time from publish to Kafka acknowledgement (acks=all) per request',
      ['outcome'],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    );
  }

  async ingest(cmd: IngestCommand): Promise<BatchResult> {
    if (cmd.items.length > this.config.MAX_BATCH_EVENTS) {
      throw new DomainError(ErrorCode.PayloadTooLarge, `a batch holds at most ${this.config.MAX_BATCH_EVENTS} events; got ${cmd.items.length}`, {
        details: { maxEvents: this.config.MAX_BATCH_EVENTS, events: cmd.items.length },
      });
    }
    if (cmd.items.length === 0) throw new DomainError(ErrorCode.ValidationFailed, 'the batch is empty');
    await this.limiter.take(cmd.tenantId, cmd.items.length);
    const settings = await this.settings.get(cmd.tenantId);
    const key = settings.pseudonymKey;
    const ctx = {
      tenantId: cmd.tenantId,
      receivedAt: new Date().toISOString(),
      defaultSource: cmd.defaultSource,
      pseudonymise: key ? (u: string) => pseudonymiseUserId(key, u) : undefined,
      ingest: cmd.ingest,
    };

    const results: ItemResult[] = new Array<ItemResult>(cmd.items.length);
    const accepted: RawEvent[] = [];
    const seen = new Set<string>();
    const rejectedByCode = new Map<string, number>();
    let duplicates = 0;
    for (let index = 0; index < cmd.items.length; index++) {
      const item = cmd.items[index];
      const outcome: ItemOutcome = 'outcome' in item ? item.outcome : hostileItem(item.value) ?? normaliseEnvelope(item.value, ctx);
      if (outcome.ok) {
        const id = outcome.event.eventId;
        if (seen.has(id)) {
          results[index] = { index, status: 'accepted', eventId: id, duplicateInBatch: true };
          duplicates++;
          continue;
        }
        seen.add(id);
        accepted.push(outcome.event);
        results[index] = { index, status: 'accepted', eventId: id };
      } else {
        results[index] = { index, status: 'rejected', code: outcome.code, message: outcome.message, ...(outcome.issues ? { issues: outcome.issues } : {}) };
        rejectedByCode.set(outcome.code, (rejectedByCode.get(outcome.code) ?? 0) + 1);
      }
    }

    if (accepted.length > 0) {
      const started = process.hrtime.bigint();
      try {
        await ackedOrUnavailable(this.publisher.publish(accepted, cmd.approxBytes ?? accepted.length * 300), this.config.PUBLISH_TIMEOUT_MS);
        this.publishLatency.observe({ outcome: 'acked' }, Number(process.hrtime.bigint() - started) / 1e9);
      } catch (e) {
        this.publishLatency.observe({ outcome: 'failed' }, Number(process.hrtime.bigint() - started) / 1e9);
        this.outcomes.inc({ tenant: this.metrics.tenant(cmd.tenantId), channel: cmd.channel, outcome: 'unavailable', code: 'unavailable' }, cmd.items.length);
        throw e;
      }
    }
    const rejectedCount = [...rejectedByCode.values()].reduce((a, b) => a + b, 0);
    // accepted + duplicates + rejected = items: an in-batch duplicate is the same event again, not another accepted one
    const acceptedCount = cmd.items.length - rejectedCount - duplicates;
    this.outcomes.inc({ tenant: this.metrics.tenant(cmd.tenantId), channel: cmd.channel, outcome: 'accepted', code: '' }, acceptedCount);
    for (const [code, n] of rejectedByCode) this.outcomes.inc({ tenant: this.metrics.tenant(cmd.tenantId), channel: cmd.channel, outcome: 'rejected', code }, n);
    await this.rejections.add(cmd.tenantId, rejectedByCode);
    if (duplicates) this.outcomes.inc({ tenant: this.metrics.tenant(cmd.tenantId), channel: cmd.channel, outcome: 'duplicate', code: 'in_batch' }, duplicates);
    return { accepted: acceptedCount, duplicates, rejected: rejectedCount, results };
  }
}

/** An item too deep to handle safely, or holding a null character no store can keep: rejected alone (issue #18). */
export function hostileItem(value: unknown, what = 'the event'): Extract<ItemOutcome, { ok: false }> | null {
  const problem = valueProblem(value, MAX_JSON_DEPTH);
  if (problem === 'too_deep') return { ok: false, code: 'json_too_deep', message: `${what} nests JSON deeper than ${MAX_JSON_DEPTH} levels (arrays and objects)` };
  if (problem === 'nul') return { ok: false, code: 'invalid_text', message: `${what} holds a null character (\\u0000) in a string` };
  return null;
}
