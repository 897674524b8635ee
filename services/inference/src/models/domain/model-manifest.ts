import { z } from 'zod';
import { ClassificationReport } from '@livepromo/ml';
import { TrainedTextClassifier } from './text-classifier';

/** What a model is for: the comment pipeline picks its intent and sentiment models by task. */
export const MODEL_TASKS = ['intent', 'sentiment', 'text-classification', 'propensity'] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];

/**
 * model.json, saved beside model.onnx: everything serving needs to turn text into the
 * model's input exactly as training did, plus how the model was made and how well it did.
 */
const modelName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'model names are lowercase letters, digits and -');

const metricsSchema = z.object({
  accuracy: z.number(),
  macroF1: z.number(),
  majorityBaseline: z.number(),
  heldOutRows: z.number().int(),
  trainRows: z.number().int(),
  confusion: z.array(z.array(z.number().int())),
  /** Reliability of the served probabilities on the held-out rows (calibration.ts). */
  reliability: z
    .object({
      predicted: z.string(),
      ece: z.number(),
      n: z.number().int(),
      bins: z.array(z.object({ lo: z.number(), hi: z.number(), count: z.number().int(), meanPredicted: z.number(), observedRate: z.number() })),
    })
    .optional(),
  /** Stratified k-fold figures of the same recipe, when computed. */
  kfold: z
    .object({
      k: z.number().int(),
      seed: z.number().int(),
      accuracyMean: z.number(),
      accuracySd: z.number(),
      macroF1Mean: z.number(),
      macroF1Sd: z.number(),
    })
    .optional(),
});

export const textClassifierManifestSchema = z.object({
  format: z.literal('livepromo-text-classifier'),
  formatVersion: z.literal(1),
  name: modelName,
  task: z.enum(MODEL_TASKS),
  labels: z.array(z.string().min(1).max(64)).min(2),
  /** Optional renaming of labels for the comment pipeline, e.g. {"1":"positive","0":"negative"}. */
  labelMap: z.record(z.string(), z.string()).optional(),
  /** The feature recipe serving repeats (text-features.ts): character n-grams, optionally jieba word n-grams. */
  featurizer: z
    .object({
      kind: z.enum(['char-ngram-hash', 'char-word-ngram-hash']),
      dim: z.number().int().min(16).max(1 << 20),
      minN: z.number().int().min(1).max(5),
      maxN: z.number().int().min(1).max(5),
      seed: z.number().int().min(0).max(0xffffffff),
      maxChars: z.number().int().min(1),
      words: z
        .object({
          segmenter: z.literal('jieba'),
          minN: z.number().int().min(1).max(3),
          maxN: z.number().int().min(1).max(3),
          /** @node-rs/jieba version the model was trained with (informational) */
          version: z.string().optional(),
        })
        .optional(),
    })
    .refine((f) => (f.kind === 'char-word-ngram-hash') === (f.words !== undefined), { message: 'char-word-ngram-hash needs words, char-ngram-hash takes none' }),
  signature: z.object({
    input: z.object({ name: z.string(), shape: z.array(z.union([z.string(), z.number()])), dtype: z.literal('float32') }),
    output: z.object({ name: z.string(), shape: z.array(z.union([z.string(), z.number()])), dtype: z.literal('float32') }),
    opset: z.number().int(),
  }),
  metrics: metricsSchema,
  training: z.record(z.string(), z.union([z.string(), z.number()])),
  provenance: z.string().max(2000),
  trainedAt: z.string(),
});
export type TextClassifierManifest = z.infer<typeof textClassifierManifestSchema>;

/**
 * A bring-your-own ONNX sequence classifier exported from a transformer (e.g. a fine-tuned
 * Chinese BERT), served with the WordPiece tokenizer of its vocab.txt.
 */
export const sequenceClassifierManifestSchema = z.object({
  format: z.literal('livepromo-sequence-classifier'),
  formatVersion: z.literal(1),
  name: modelName,
  task: z.enum(MODEL_TASKS),
  labels: z.array(z.string().min(1).max(64)).min(2),
  labelMap: z.record(z.string(), z.string()).optional(),
  tokenizer: z.object({
    kind: z.literal('wordpiece'),
    vocab: z.array(z.string()).min(4),
    lowercase: z.boolean(),
    maxLength: z.number().int().min(4).max(8192),
    unkToken: z.string(),
    clsToken: z.string(),
    sepToken: z.string(),
    padToken: z.string(),
    maxCharsPerWord: z.number().int().min(1),
  }),
  signature: z.object({
    inputIds: z.string(),
    attentionMask: z.string(),
    tokenTypeIds: z.string(),
    output: z.string(),
    /** logits get a softmax in TypeScript; probabilities are used as they are */
    outputKind: z.enum(['logits', 'probabilities']),
  }),
  metrics: metricsSchema.nullable(),
  provenance: z.string().max(2000),
  trainedAt: z.string(),
});
export type SequenceClassifierManifest = z.infer<typeof sequenceClassifierManifestSchema>;

/**
 * A tabular classifier (purchase propensity): input is a vector of named features, each
 * transformed by `features.transform` in TypeScript before the same Gemm → Softmax graph.
 */
export const tabularClassifierManifestSchema = z.object({
  format: z.literal('livepromo-tabular-classifier'),
  formatVersion: z.literal(1),
  name: modelName,
  task: z.enum(MODEL_TASKS),
  labels: z.array(z.string().min(1).max(64)).min(2),
  labelMap: z.record(z.string(), z.string()).optional(),
  features: z.object({ names: z.array(z.string().min(1).max(64)).min(1), transform: z.literal('log1p') }),
  signature: textClassifierManifestSchema.shape.signature,
  metrics: metricsSchema.extend({ auc: z.number().nullable() }),
  training: z.record(z.string(), z.union([z.string(), z.number()])),
  provenance: z.string().max(2000),
  trainedAt: z.string(),
});
export type TabularClassifierManifest = z.infer<typeof tabularClassifierManifestSchema>;

/** model.json of any kind. */
export const modelManifestSchema = z.discriminatedUnion('format', [textClassifierManifestSchema, sequenceClassifierManifestSchema, tabularClassifierManifestSchema]);
export type ModelManifest = z.infer<typeof modelManifestSchema>;

export function manifestMetrics(report: ClassificationReport, trainRows: number): TextClassifierManifest['metrics'] {
  return {
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    majorityBaseline: report.majorityBaseline,
    heldOutRows: report.n,
    trainRows,
    confusion: report.confusion,
  };
}

export function manifestFor(
  clf: TrainedTextClassifier,
  meta: { name: string; task: ModelTask; provenance: string; labelMap?: Record<string, string>; trainedAt: string; kfold?: TextClassifierManifest['metrics']['kfold'] },
  signature: TextClassifierManifest['signature'],
): TextClassifierManifest {
  return textClassifierManifestSchema.parse({
    format: 'livepromo-text-classifier',
    formatVersion: 1,
    name: meta.name,
    task: meta.task,
    labels: clf.labels,
    labelMap: meta.labelMap,
    featurizer: clf.featurizer,
    signature,
    metrics: { ...manifestMetrics(clf.report, clf.trainRows), reliability: clf.reliability, kfold: meta.kfold },
    training: clf.training,
    provenance: meta.provenance,
    trainedAt: meta.trainedAt,
  });
}
