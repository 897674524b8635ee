import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, DomainError, ErrorCode } from '@livepromo/service-kit';
import { InferenceConfig } from '../../inference.config';
import { argmax } from '@livepromo/ml';
import { ModelServing } from './model-serving.service';

export interface PredictCommand {
  model?: string;
  texts: string[];
}

export interface PredictResult {
  model: { name: string; version: number; task: string };
  labels: string[];
  predictions: { label: string; score: number; probabilities: Record<string, number> }[];
  computedAs: string;
}

export const PREDICT_COMPUTED_AS =
  'probabilities = softmax(W·x + b) where x is the text (NFKC, lower-cased, whitespace collapsed) as character ' +
  'n-grams (and, for featurizer kind char-word-ngram-hash, jieba word n-grams; ranges in the model manifest) ' +
  'hashed with FNV-1a into the model dimension, weighted log(1+count) and L2-normalised; NB feature weights and ' +
  'probability calibration, when the model was trained with them, are folded into W and b; ' +
  'label = the most probable class, score = its probability. Requests are micro-batched; the model version is pinned per request.';

/** POST /v1/predict: classify texts with the current version of one model. */
@Injectable()
export class PredictUseCase {
  constructor(
    @Inject(CONFIG) private readonly config: InferenceConfig,
    @Inject(ModelServing) private readonly serving: ModelServing,
  ) {}

  async execute(cmd: PredictCommand): Promise<PredictResult> {
    const name = cmd.model ?? this.config.INTENT_MODEL;
    const r = await this.serving.classify(name, cmd.texts);
    if (!r) throw new DomainError(ErrorCode.NotFound, `no model named "${name}" is being served (see GET /v1/models)`);
    const labels = r.manifest.labels;
    return {
      model: { name: r.name, version: r.version, task: r.manifest.task },
      labels,
      predictions: r.probabilities.map((p) => {
        const best = argmax(p);
        return {
          label: labels[best],
          score: round6(p[best]),
          probabilities: Object.fromEntries(labels.map((l, i) => [l, round6(p[i])])),
        };
      }),
      computedAs: PREDICT_COMPUTED_AS,
    };
  }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
