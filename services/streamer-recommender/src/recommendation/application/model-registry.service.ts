import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MessageBus } from '@livepromo/messaging';
import { Cache } from '@livepromo/cache';
import { JsonLogger, Metrics } from '@livepromo/observability';
import { CONFIG, DomainError, ErrorCode } from '@livepromo/service-kit';
import { DIMS } from '../domain/streamer-features';
import { buildTenantModel, TenantModel } from '../domain/tenant-model';
import { RecommenderRepository } from '../infrastructure/recommender.repository';
import { RecommenderConfig } from '../recommendation.config';

export interface ModelSummary {
  tenantId: string;
  modelVersion: string;
  trainedAt: string;
  trainingMs: number;
  reason: string;
  sizes: { users: number; streamers: number; pairs: number; interactionStrength: number };
  factorisation: { method: string; seed: number; factors: number } & Record<string, string | number>;
  hybridWeights: Record<string, number>;
  clustering: { k: number; silhouette: number | null; criterion: string; tried: { k: number; silhouette: number }[]; clusters: { cluster: number; size: number; label: string; distinguishing: { feature: string; z: number }[] }[] };
  tenantConversion: number;
}

export function summarise(m: TenantModel, reason: string): ModelSummary {
  return {
    tenantId: m.tenantId,
    modelVersion: m.version,
    trainedAt: m.trainedAt,
    trainingMs: m.trainingMs,
    reason,
    sizes: m.stats,
    factorisation:
      m.options.cfModel === 'bpr'
        ? { method: 'BPR-MF (Rendle et al. 2009), SGD on sampled (user, watched, unwatched) triples, item bias', ...m.options.bpr, seed: m.options.seed }
        : { method: 'implicit ALS (Hu, Koren & Volinsky 2008), confidence 1 + α·strength', solver: m.options.solver, factors: m.options.factors, iterations: m.options.iterations, lambda: m.options.lambda, alpha: m.options.alpha, seed: m.options.seed },
    hybridWeights: { ...m.weights },
    clustering: {
      k: m.clustering.k,
      silhouette: m.clustering.silhouette,
      criterion: m.clustering.criterion,
      tried: m.clustering.tried,
      clusters: m.clustering.clusters,
    },
    tenantConversion: m.tenantConversion,
  };
}

export const cachePrefix = (tenantId: string) => `rec:${tenantId}:`;

/**
 * A course answer reads the course's row and audience from Postgres besides the model, so its cache key
 * also carries the course's revision token, replaced whenever events change that course (outside the
 * `rec:<tenant>:` prefix so a retrain's sweep leaves it alone).
 */
export const courseRevisionKey = (tenantId: string, courseId: string) => `rec-rev:${tenantId}:course:${courseId}`;

/**
 * Holds each tenant's trained model in memory. Trains on first use, on demand, and on a schedule
 * for tenants whose features changed; every retrain gets a new version, drops the tenant's cached
 * results and publishes recommendations.updated.v1.
 */
@Injectable()
export class ModelRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly models = new Map<string, TenantModel>();
  private readonly training = new Map<string, Promise<TenantModel>>();
  private timer?: NodeJS.Timeout;
  private scheduled?: Promise<void>;

  constructor(
    @Inject(RecommenderRepository) private readonly repo: RecommenderRepository,
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(Cache) private readonly cache: Cache,
    @Inject(CONFIG) private readonly config: RecommenderConfig,
    @Inject(JsonLogger) private readonly log: JsonLogger,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.RETRAIN_INTERVAL_MS > 0) {
      this.timer = setInterval(() => {
        if (!this.scheduled) this.scheduled = this.retrainDirty().then(
          () => undefined,
          () => undefined,
        ).finally(() => (this.scheduled = undefined));
      }, this.config.RETRAIN_INTERVAL_MS);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.scheduled?.catch(() => undefined);
  }

  /** The tenant's model, training it first when there is none yet. */
  async get(tenantId: string): Promise<TenantModel> {
    return this.models.get(tenantId) ?? this.train(tenantId, 'first use');
  }

  current(tenantId: string): TenantModel | undefined {
    return this.models.get(tenantId);
  }

  /** Retrains one tenant (concurrent calls share one run). */
  train(tenantId: string, reason: string): Promise<TenantModel> {
    const running = this.training.get(tenantId);
    if (running) return running;
    const p = this.doTrain(tenantId, reason).finally(() => this.training.delete(tenantId));
    this.training.set(tenantId, p);
    return p;
  }

  /**
   * Erasure: the user disappears from the served model at once (no history, interest or CF vector;
   * they are served as an unknown user) and the tenant's cached answers are dropped; the next
   * scheduled retrain removes their contribution to the streamer factors and audience vectors.
   */
  async forgetUser(tenantId: string, userId: string): Promise<void> {
    const m = this.models.get(tenantId);
    const u = m?.userIndex.get(userId);
    if (m && u !== undefined) {
      m.userIndex.delete(userId);
      m.history[u] = [];
      const f = m.als.factors;
      m.als.userFactors.fill(0, u * f, u * f + f);
      m.interest.fill(0, u * DIMS, u * DIMS + DIMS);
      m.explicitInterest.fill(0, u * DIMS, u * DIMS + DIMS);
    }
    const stale = await this.cache.scan(`${cachePrefix(tenantId)}*`, 100000);
    if (stale.length) await this.cache.del(stale);
  }

  /** Retrains every tenant whose features changed since its last training. */
  async retrainDirty(): Promise<string[]> {
    const done: string[] = [];
    for (const { tenantId } of await this.repo.dirtyTenants()) {
      try {
        await this.train(tenantId, 'scheduled: features changed');
        done.push(tenantId);
      } catch (e) {
        this.log.error('scheduled retrain failed', { tenantId, error: String(e) });
      }
    }
    return done;
  }

  private async doTrain(tenantId: string, reason: string): Promise<TenantModel> {
    const from = new Date().toISOString();
    const input = await this.repo.loadTrainingInput(tenantId);
    if (!input.streamers.length && !input.pairs.length)
      throw new DomainError(ErrorCode.NotFound, `no streamer data for tenant ${tenantId} yet: send streamer.profile.upserted or live events first`);
    const c = this.config;
    const model = buildTenantModel(input, {
      factors: c.ALS_FACTORS,
      iterations: c.ALS_ITERATIONS,
      lambda: c.ALS_LAMBDA,
      alpha: c.ALS_ALPHA,
      seed: c.MODEL_SEED,
      kMax: c.KMEANS_MAX_K,
      shrinkage: c.CONVERSION_SHRINKAGE,
      followerReach: c.FOLLOWER_REACH,
      neighbours: 50,
      solver: c.ALS_SOLVER,
      implicitInterestWeight: 0.5,
      cfModel: c.CF_MODEL,
      bpr: { factors: c.BPR_FACTORS, epochs: c.BPR_EPOCHS, learningRate: c.BPR_LEARNING_RATE, reg: c.BPR_REG },
      weights: c.HYBRID_WEIGHTS,
    });
    const prev = this.models.get(tenantId);
    if (prev && model.version <= prev.version) model.version = `${prev.version}.1`;
    this.models.set(tenantId, model);
    const summary = summarise(model, reason);
    await this.repo.saveModelRun(tenantId, model.version, model.trainedAt, model.trainingMs, summary);
    await this.repo.markTrained(tenantId, from);
    const stale = await this.cache.scan(`${cachePrefix(tenantId)}*`, 100000);
    if (stale.length) await this.cache.del(stale);
    const now = new Date().toISOString();
    await this.bus.publish('recommendations.updated.v1', [
      {
        eventId: `recs-${tenantId}-${model.version}`,
        tenantId,
        type: 'recommendations.updated',
        source: 'livepromo',
        occurredAt: now,
        receivedAt: now,
        schemaVersion: 1,
        payload: { scope: 'all', ids: [], modelVersion: model.version },
      },
    ]);
    this.metrics.histogram('livepromo_recommender_training_seconds', 'model training time', [], [0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60]).observe(model.trainingMs / 1000);
    this.log.info('model trained', { tenantId, modelVersion: model.version, reason, ...model.stats, trainingMs: model.trainingMs });
    return model;
  }
}
