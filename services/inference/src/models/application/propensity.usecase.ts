import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, DomainError, ErrorCode } from '@livepromo/service-kit';
import { InferenceConfig } from '../../inference.config';
import { ModelServing } from './model-serving.service';

export interface PropensityCommand {
  model?: string;
  rows: { userId?: string; features: Record<string, number> }[];
}

export interface PropensityResult {
  model: { name: string; version: number; features: string[]; heldOutAuc: number | null };
  scores: { userId?: string; purchaseProbability: number }[];
  computedAs: string;
}

export const PROPENSITY_COMPUTED_AS =
  'purchaseProbability = softmax(W·x + b)[purchase] where x_i = log(1 + count_i) of the activity counts in the ' +
  'model\'s feature order (missing features count 0; watch_minutes in minutes); W and b are a logistic regression ' +
  'trained on activity before each user\'s first order.paid, with the training standardisation folded in. ' +
  'heldOutAuc = ROC AUC on a held-out 20 % of users.';

/** POST /v1/propensity: purchase probability of users from their activity counts. */
@Injectable()
export class PropensityUseCase {
  constructor(
    @Inject(CONFIG) private readonly config: InferenceConfig,
    @Inject(ModelServing) private readonly serving: ModelServing,
  ) {}

  async execute(cmd: PropensityCommand): Promise<PropensityResult> {
    const name = cmd.model ?? this.config.PROPENSITY_MODEL;
    const current = this.serving.versionOf(name);
    if (current && current.manifest.format === 'livepromo-tabular-classifier') {
      const known = new Set(current.manifest.features.names);
      const unknown = [...new Set(cmd.rows.flatMap((r) => Object.keys(r.features)).filter((f) => !known.has(f)))];
      if (unknown.length) {
        throw new DomainError(ErrorCode.ValidationFailed, `unknown feature(s) ${unknown.join(', ')}; model "${name}" uses: ${[...known].join(', ')}`, { details: { unknown, features: [...known] } });
      }
    }
    const r = await this.serving.classify(
      name,
      cmd.rows.map((row) => row.features),
      'features',
    );
    if (!r) throw new DomainError(ErrorCode.NotFound, `no model named "${name}" is being served (see GET /v1/models)`);
    const m = r.manifest;
    const purchase = m.labels.indexOf('purchase') >= 0 ? m.labels.indexOf('purchase') : m.labels.length - 1;
    return {
      model: {
        name: r.name,
        version: r.version,
        features: m.format === 'livepromo-tabular-classifier' ? m.features.names : [],
        heldOutAuc: m.format === 'livepromo-tabular-classifier' ? m.metrics.auc : null,
      },
      scores: cmd.rows.map((row, i) => ({ ...(row.userId ? { userId: row.userId } : {}), purchaseProbability: Math.round(r.probabilities[i][purchase] * 1e6) / 1e6 })),
      computedAs: PROPENSITY_COMPUTED_AS,
    };
  }
}
