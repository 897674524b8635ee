import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger, Metrics } from '@livepromo/observability';
import { CONFIG } from '@livepromo/service-kit';
import type { Histogram } from 'prom-client';
import { InferenceConfig } from '../../inference.config';
import { MicroBatcher } from '../domain/micro-batcher';
import { ModelManifest } from '../domain/model-manifest';
import { DomainError, ErrorCode } from '@livepromo/service-kit';
import { ClassifierRuntime, inputKindOf, loadClassifierRuntime, ModelInput } from '../infrastructure/classifier-runtime';
import { ClassProbabilities } from '../infrastructure/onnx-text-classifier';

/** One loaded version: its ONNX session, its own micro-batcher, and how many requests still use it. */
class LoadedModel {
  inflight = 0;
  retired = false;
  readonly batcher: MicroBatcher<ModelInput, ClassProbabilities>;

  constructor(
    readonly name: string,
    readonly version: number,
    readonly classifier: ClassifierRuntime,
    opts: { maxSize: number; maxWaitMs: number },
    observe: (size: number) => void,
  ) {
    this.batcher = new MicroBatcher(async (texts) => {
      observe(texts.length);
      return classifier.classify(texts);
    }, opts);
  }

  get manifest(): ModelManifest {
    return this.classifier.manifest;
  }
}

export interface Classified {
  name: string;
  version: number;
  manifest: ModelManifest;
  probabilities: ClassProbabilities[];
}

/**
 * The models being served, one current version per name. A new version is loaded and warmed
 * before it replaces the old one; requests that already hold the old version finish on it,
 * and its session is released once the last of them answered. No request sees a closed session.
 */
@Injectable()
export class ModelServing implements OnApplicationShutdown {
  private readonly current = new Map<string, LoadedModel>();
  private readonly batchSizes: Histogram<string>;

  constructor(
    @Inject(CONFIG) private readonly config: InferenceConfig,
    @Inject(JsonLogger) private readonly log: JsonLogger,
    @Inject(Metrics) metrics: Metrics,
  ) {
    this.batchSizes = metrics.histogram('livepromo_inference_batch_size', 'texts per inference call', ['model'], [1, 2, 4, 8, 16, 32, 64, 128, 256]);
  }

  /** Loads, warms and swaps in a version. Resolves once new requests use it. */
  async install(name: string, version: number, onnx: Uint8Array, manifest: ModelManifest): Promise<void> {
    const existing = this.current.get(name);
    if (existing && existing.version === version) return;
    const classifier = await loadClassifierRuntime(onnx, manifest, { intraOpThreads: this.config.ORT_THREADS });
    await classifier.classify([manifest.format === 'livepromo-tabular-classifier' ? {} : 'warm-up 预热']);
    const loaded = new LoadedModel(name, version, classifier, { maxSize: this.config.BATCH_MAX_SIZE, maxWaitMs: this.config.BATCH_MAX_WAIT_MS }, (n) =>
      this.batchSizes.observe({ model: name }, n),
    );
    const old = this.current.get(name);
    this.current.set(name, loaded);
    this.log.info('model version serving', { model: name, version, previous: old?.version });
    if (old) await this.retire(old);
  }

  versionOf(name: string): { version: number; manifest: ModelManifest } | null {
    const m = this.current.get(name);
    return m ? { version: m.version, manifest: m.manifest } : null;
  }

  has(name: string): boolean {
    return this.current.has(name);
  }

  names(): string[] {
    return [...this.current.keys()];
  }

  /**
   * Classifies through the current version's batcher; the version is pinned for the whole call.
   * Inputs of the wrong kind (texts for a tabular model, or the reverse) are refused before
   * they can join a batch shared with other callers.
   */
  async classify(name: string, inputs: readonly ModelInput[], kind: 'text' | 'features' = 'text'): Promise<Classified | null> {
    const m = this.current.get(name);
    if (!m) return null;
    const takes = inputKindOf(m.manifest);
    if (takes !== kind) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        takes === 'features' ? `model "${name}" scores feature rows, not texts: use POST /v1/propensity` : `model "${name}" classifies texts, not feature rows: use POST /v1/predict`,
      );
    }
    m.inflight++;
    try {
      const probabilities = await m.batcher.submit(inputs);
      return { name, version: m.version, manifest: m.manifest, probabilities };
    } finally {
      m.inflight--;
      if (m.retired && m.inflight === 0) void this.release(m);
    }
  }

  private async retire(m: LoadedModel): Promise<void> {
    m.retired = true;
    if (m.inflight === 0) await this.release(m);
  }

  private released = new WeakSet<LoadedModel>();

  private async release(m: LoadedModel): Promise<void> {
    if (this.released.has(m)) return;
    this.released.add(m);
    await m.batcher.whenIdle();
    await m.classifier.release().catch((e: unknown) => this.log.warn('releasing an ONNX session failed', { model: m.name, version: m.version, error: String(e) }));
  }

  async onApplicationShutdown(): Promise<void> {
    const all = [...this.current.values()];
    this.current.clear();
    await Promise.all(all.map((m) => this.retire(m)));
  }
}
