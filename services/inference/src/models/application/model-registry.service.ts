import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JsonLogger } from '@livepromo/observability';
import { CONFIG, DomainError, ErrorCode } from '@livepromo/service-kit';
import { InferenceConfig } from '../../inference.config';
import { CommentTask, SYNTHETIC_PROVENANCE, trainDefaultCommentModel } from '../domain/default-comment-models';
import { ModelManifest } from '../domain/model-manifest';
import { findModelFolders, readModelFolder, sha256 } from '../infrastructure/model-files';
import { ModelRegistryRepository, ModelVersionSummary } from '../infrastructure/model-registry.repository';
import { packagePropensityModel, packageTextClassifier } from '../infrastructure/text-classifier-onnx';
import { SYNTHETIC_PROPENSITY_PROVENANCE, trainDefaultPropensityModel } from '../domain/propensity';
import { ModelServing } from './model-serving.service';

/**
 * The model registry's use cases: boot (import MODEL_DIR, train the defaults when missing,
 * serve the active versions), list, register and activate with a hot swap.
 */
@Injectable()
export class ModelRegistryService implements OnModuleInit, OnApplicationShutdown {
  private refreshTimer: NodeJS.Timeout | null = null;
  /** Activation and refresh run one at a time, so a refresh never swaps back a version being activated. */
  private lock: Promise<unknown> = Promise.resolve();

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  constructor(
    @Inject(CONFIG) private readonly config: InferenceConfig,
    @Inject(JsonLogger) private readonly log: JsonLogger,
    @Inject(ModelRegistryRepository) private readonly repo: ModelRegistryRepository,
    @Inject(ModelServing) private readonly serving: ModelServing,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.importModelDir();
    if (this.config.TRAIN_DEFAULT_MODELS) {
      await this.ensureDefault(this.config.INTENT_MODEL, 'intent');
      await this.ensureDefault(this.config.SENTIMENT_MODEL, 'sentiment');
      await this.ensureDefaultPropensity(this.config.PROPENSITY_MODEL);
    }
    await this.serveActiveVersions();
    if (this.config.MODEL_REFRESH_MS > 0) {
      this.refreshTimer = setInterval(() => {
        this.serveActiveVersions().catch((e: unknown) => this.log.warn('refreshing active model versions failed', { error: String(e) }));
      }, this.config.MODEL_REFRESH_MS);
      this.refreshTimer.unref();
    }
  }

  onApplicationShutdown(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
  }

  /** Registers every model folder under MODEL_DIR not yet in the registry (same bytes are stored once). */
  async importModelDir(): Promise<void> {
    for (const dir of await findModelFolders(this.config.MODEL_DIR)) {
      try {
        const folder = await readModelFolder(dir);
        const r = await this.register(folder.manifest, folder.onnx, dir);
        if (r.created) this.log.info('imported model from MODEL_DIR', { path: dir, model: folder.manifest.name, version: r.version });
      } catch (e) {
        this.log.warn('skipping unreadable model folder', { path: dir, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  private async ensureDefault(name: string, task: CommentTask): Promise<void> {
    if ((await this.repo.listVersions(name)).length > 0) return;
    const started = Date.now();
    const { classifier, unseenTemplates } = trainDefaultCommentModel(task);
    const { manifest, onnx } = packageTextClassifier(classifier, {
      name,
      task,
      provenance: SYNTHETIC_PROVENANCE,
      metricsReport: unseenTemplates,
      extraTraining: { inDistributionHeldOutAccuracy: classifier.report.accuracy, evaluatedOn: 'unseen templates' },
    });
    const r = await this.register(manifest, onnx, null);
    this.log.info('trained default model from the synthetic corpus', {
      model: name,
      version: r.version,
      ms: Date.now() - started,
      accuracy: unseenTemplates.accuracy,
      macroF1: unseenTemplates.macroF1,
    });
  }

  private async ensureDefaultPropensity(name: string): Promise<void> {
    if ((await this.repo.listVersions(name)).length > 0) return;
    const m = trainDefaultPropensityModel();
    const { manifest, onnx } = packagePropensityModel(m, { name, provenance: SYNTHETIC_PROPENSITY_PROVENANCE });
    const r = await this.register(manifest, onnx, null);
    this.log.info('trained default propensity model from synthetic activity', { model: name, version: r.version, auc: m.auc, accuracy: m.report.accuracy });
  }

  /** Adds a version (active if the model had none). */
  async register(manifest: ModelManifest, onnx: Uint8Array, sourcePath: string | null): Promise<{ version: number; created: boolean; active: boolean }> {
    return this.repo.add({ name: manifest.name, task: manifest.task, manifest, onnx, sha256: sha256(onnx), sourcePath });
  }

  /** Makes the serving set match the active versions in Postgres (loads and warms before swapping). */
  serveActiveVersions(): Promise<void> {
    return this.exclusive(() => this.serveActiveVersionsNow());
  }

  private async serveActiveVersionsNow(): Promise<void> {
    for (const { name, version } of await this.repo.activeVersions()) {
      if (this.serving.versionOf(name)?.version === version) continue;
      const row = await this.repo.get(name, version);
      if (row) await this.serving.install(name, version, row.onnx, row.manifest);
    }
  }

  async listModels(): Promise<{ name: string; task: string; activeVersion: number | null; servingVersion: number | null; versions: number }[]> {
    const all = await this.repo.listVersions();
    const names = [...new Set(all.map((v) => v.name))];
    return names.map((name) => {
      const vs = all.filter((v) => v.name === name);
      return {
        name,
        task: vs[vs.length - 1].task,
        activeVersion: vs.find((v) => v.active)?.version ?? null,
        servingVersion: this.serving.versionOf(name)?.version ?? null,
        versions: vs.length,
      };
    });
  }

  async listVersions(name: string): Promise<ModelVersionSummary[]> {
    const vs = await this.repo.listVersions(name);
    if (vs.length === 0) throw new DomainError(ErrorCode.NotFound, `no model named "${name}"`);
    return vs;
  }

  /**
   * Activates a version: loads and warms it first (a broken model is refused with the old one
   * still serving), then records it in Postgres, then swaps. In-flight requests finish on the old version.
   */
  activate(name: string, version: number): Promise<ModelVersionSummary> {
    return this.exclusive(() => this.activateNow(name, version));
  }

  private async activateNow(name: string, version: number): Promise<ModelVersionSummary> {
    const row = await this.repo.get(name, version);
    if (!row) throw new DomainError(ErrorCode.NotFound, `model "${name}" has no version ${version}`);
    try {
      await this.serving.install(name, version, row.onnx, row.manifest);
    } catch (e) {
      throw new DomainError('model_unloadable', `model "${name}" version ${version} cannot be loaded: ${e instanceof Error ? e.message : String(e)}`, { status: 422 });
    }
    await this.repo.activate(name, version);
    const after = (await this.repo.listVersions(name)).find((v) => v.version === version)!;
    return after;
  }
}
