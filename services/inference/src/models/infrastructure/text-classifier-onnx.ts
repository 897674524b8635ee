import { ClassificationReport, SoftmaxModel } from '@livepromo/ml';
import {
  manifestFor,
  manifestMetrics,
  ModelTask,
  TabularClassifierManifest,
  tabularClassifierManifestSchema,
  TextClassifierManifest,
} from '../domain/model-manifest';
import { PROPENSITY_FEATURES, PROPENSITY_LABELS, TrainedPropensityModel } from '../domain/propensity';
import { TrainedTextClassifier } from '../domain/text-classifier';
import { encodeOnnxModel } from './onnx-protobuf';

export const ONNX_INPUT = 'features';
export const ONNX_OUTPUT = 'probs';
export const ONNX_OPSET = 13;

/**
 * The softmax-regression classifier as an ONNX graph:
 * features [N, dim] → Gemm(W [classes, dim], b [classes], transB=1) → logits [N, classes] → Softmax(axis=1) → probs.
 */
export function exportSoftmaxToOnnx(
  model: SoftmaxModel,
  meta: { name: string; labels: string[]; metadata?: Record<string, string> },
): Uint8Array {
  if (meta.labels.length !== model.classes) throw new Error('labels and classes differ');
  return encodeOnnxModel({
    graphName: meta.name,
    producerName: 'livepromo-inference',
    producerVersion: '1',
    opsetVersion: ONNX_OPSET,
    docString: `hashed character n-gram softmax regression; labels: ${meta.labels.join(',')}`,
    initializers: [
      { name: 'W', dims: [model.classes, model.dim], data: model.weights },
      { name: 'b', dims: [model.classes], data: model.bias },
    ],
    nodes: [
      { opType: 'Gemm', name: 'linear', inputs: [ONNX_INPUT, 'W', 'b'], outputs: ['logits'], attributes: [{ name: 'transB', int: 1 }] },
      { opType: 'Softmax', name: 'softmax', inputs: ['logits'], outputs: [ONNX_OUTPUT], attributes: [{ name: 'axis', int: 1 }] },
    ],
    inputs: [{ name: ONNX_INPUT, shape: ['N', model.dim] }],
    outputs: [{ name: ONNX_OUTPUT, shape: ['N', model.classes] }],
    metadata: { labels: JSON.stringify(meta.labels), ...(meta.metadata ?? {}) },
  });
}

/** model.onnx bytes + model.json for a trained classifier. */
export function packageTextClassifier(
  clf: TrainedTextClassifier,
  meta: {
    name: string;
    task: ModelTask;
    provenance: string;
    labelMap?: Record<string, string>;
    trainedAt?: string;
    metricsReport?: ClassificationReport;
    extraTraining?: Record<string, string | number>;
    kfold?: TextClassifierManifest['metrics']['kfold'];
  },
): { manifest: TextClassifierManifest; onnx: Uint8Array } {
  const onnx = exportSoftmaxToOnnx(clf.model, { name: meta.name, labels: clf.labels });
  const manifest = manifestFor(
    { ...clf, report: meta.metricsReport ?? clf.report, training: { ...clf.training, ...(meta.extraTraining ?? {}) } },
    {
      name: meta.name,
      task: meta.task,
      provenance: meta.provenance,
      labelMap: meta.labelMap,
      trainedAt: meta.trainedAt ?? new Date().toISOString(),
      kfold: meta.kfold,
    },
    {
      input: { name: ONNX_INPUT, shape: ['N', clf.model.dim], dtype: 'float32' },
      output: { name: ONNX_OUTPUT, shape: ['N', clf.model.classes], dtype: 'float32' },
      opset: ONNX_OPSET,
    },
  );
  return { manifest, onnx };
}

/** model.onnx + model.json for a purchase-propensity model (same Gemm → Softmax graph over the log1p feature vector). */
export function packagePropensityModel(
  m: TrainedPropensityModel,
  meta: { name: string; provenance: string; trainedAt?: string },
): { manifest: TabularClassifierManifest; onnx: Uint8Array } {
  const labels = [...PROPENSITY_LABELS];
  const onnx = exportSoftmaxToOnnx(m.model, { name: meta.name, labels });
  const manifest = tabularClassifierManifestSchema.parse({
    format: 'livepromo-tabular-classifier',
    formatVersion: 1,
    name: meta.name,
    task: 'propensity',
    labels,
    features: { names: [...PROPENSITY_FEATURES], transform: 'log1p' },
    signature: {
      input: { name: ONNX_INPUT, shape: ['N', m.model.dim], dtype: 'float32' },
      output: { name: ONNX_OUTPUT, shape: ['N', 2], dtype: 'float32' },
      opset: ONNX_OPSET,
    },
    metrics: { ...manifestMetrics(m.report, m.trainRows), auc: Number.isFinite(m.auc) ? m.auc : null },
    training: m.training,
    provenance: meta.provenance,
    trainedAt: meta.trainedAt ?? new Date().toISOString(),
  });
  return { manifest, onnx };
}
