import '../../../test/ort-jest-realm';
import { tabularClassifierManifestSchema } from '../domain/model-manifest';
import { propensityRowsFromEvents, propensityVector, syntheticPropensityEvents, trainPropensity } from '../domain/propensity';
import { predictProba } from '@livepromo/ml';
import { loadClassifierRuntime } from './classifier-runtime';
import { packagePropensityModel } from './text-classifier-onnx';

describe('exported purchase-propensity model', () => {
  const rows = propensityRowsFromEvents(syntheticPropensityEvents(600, 8));
  const m = trainPropensity(rows, { train: { epochs: 5, batchSize: 32, learningRate: 0.05, l2: 1e-4, seed: 2 }, testFraction: 0.2, splitSeed: 1 });
  const { manifest, onnx } = packagePropensityModel(m, { name: 'purchase-propensity', provenance: 'unit test' });

  it('gives the same probabilities as the training forward pass (tolerance 1e-5)', async () => {
    const runtime = await loadClassifierRuntime(onnx, tabularClassifierManifestSchema.parse(JSON.parse(JSON.stringify(manifest))));
    const sample = rows.slice(0, 20).map((r) => r.counts);
    const probs = await runtime.classify(sample);
    sample.forEach((counts, i) => {
      const x = propensityVector(counts);
      const ref = predictProba(m.model, { indices: Int32Array.from(x.keys()), values: x });
      ref.forEach((v, c) => expect(Math.abs(probs[i][c] - v)).toBeLessThan(1e-5));
    });
    await expect(runtime.classify(['a text'])).rejects.toThrow('classifies feature rows, not texts');
    await runtime.release();
  });

  it('records features, AUC and the signature in model.json', () => {
    expect(manifest.features.transform).toBe('log1p');
    expect(manifest.signature.input.shape).toEqual(['N', manifest.features.names.length]);
    expect(manifest.metrics.auc).toBeCloseTo(m.auc, 12);
  });
});
