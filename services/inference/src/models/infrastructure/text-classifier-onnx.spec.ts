import '../../../test/ort-jest-realm';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { generateSyntheticComments } from '../domain/synthetic-comments';
import { classifyWithTrainingCode, trainTextClassifier } from '../domain/text-classifier';
import { featurize, toDense } from '../domain/text-features';
import { textClassifierManifestSchema } from '../domain/model-manifest';
import { ProtoWriter } from './onnx-protobuf';
import { OnnxTextClassifier } from './onnx-text-classifier';
import { ONNX_INPUT, ONNX_OUTPUT, packageTextClassifier } from './text-classifier-onnx';

describe('ProtoWriter', () => {
  it('encodes varints, fixed32 floats and length-delimited fields as the protobuf wire format', () => {
    // field 1 varint 300 → 08 ac 02; field 2 float 1.0 → 15 00 00 80 3f; field 3 "hi" → 1a 02 68 69
    const bytes = new ProtoWriter().int(1, 300).float(2, 1).string(3, 'hi').finish();
    expect(Buffer.from(bytes).toString('hex')).toBe('08ac02150000803f1a026869');
  });
});

describe('exported ONNX text classifier', () => {
  const rows = generateSyntheticComments(600, 11).map((c) => ({ text: c.text, label: c.intent }));
  const clf = trainTextClassifier(rows, {
    featurizer: { kind: 'char-ngram-hash', dim: 2048, minN: 1, maxN: 3, seed: 5, maxChars: 2000 },
    train: { epochs: 3, batchSize: 16, learningRate: 0.05, l2: 1e-5, seed: 9 },
    testFraction: 0.2,
    splitSeed: 1,
  });
  const { manifest, onnx } = packageTextClassifier(clf, { name: 'test-intent', task: 'intent', provenance: 'unit test' });
  const texts = ['多少钱', 'HOW MUCH is the python course??', '讲得太好了👍', '', '加微信1234领资料', 'x'.repeat(3000), '链接在哪 where is the link'];

  it('gives the same probabilities as the training forward pass (tolerance 1e-5)', async () => {
    const session = await InferenceSession.create(onnx);
    const x = toDense(
      texts.map((t) => featurize(t, clf.featurizer)),
      clf.featurizer.dim,
    );
    const out = await session.run({ [ONNX_INPUT]: new Tensor('float32', x, [texts.length, clf.featurizer.dim]) });
    const probs = out[ONNX_OUTPUT].data as Float32Array;
    const ref = classifyWithTrainingCode(clf, texts);
    expect(out[ONNX_OUTPUT].dims).toEqual([texts.length, clf.labels.length]);
    ref.forEach((p, i) => p.forEach((v, c) => expect(Math.abs(probs[i * clf.labels.length + c] - v)).toBeLessThan(1e-5)));
    await session.release();
  });

  it('serves through OnnxTextClassifier from a JSON round trip of model.json with the training tokenisation', async () => {
    const reloaded = textClassifierManifestSchema.parse(JSON.parse(JSON.stringify(manifest)));
    expect(reloaded.featurizer).toEqual(clf.featurizer);
    for (const t of texts) {
      const a = featurize(t, clf.featurizer);
      const b = featurize(t, reloaded.featurizer);
      expect(Buffer.from(b.indices.buffer).equals(Buffer.from(a.indices.buffer))).toBe(true);
      expect(Buffer.from(b.values.buffer).equals(Buffer.from(a.values.buffer))).toBe(true);
    }
    const served = await OnnxTextClassifier.load(onnx, reloaded);
    const probs = await served.classify(texts);
    const ref = classifyWithTrainingCode(clf, texts);
    ref.forEach((p, i) => p.forEach((v, c) => expect(Math.abs(probs[i][c] - v)).toBeLessThan(1e-5)));
    await served.release();
  });

  it('records the input/output signature and metrics in model.json', () => {
    expect(manifest.signature).toEqual({
      input: { name: 'features', shape: ['N', 2048], dtype: 'float32' },
      output: { name: 'probs', shape: ['N', 8], dtype: 'float32' },
      opset: 13,
    });
    expect(manifest.metrics.heldOutRows).toBe(clf.report.n);
    expect(manifest.labels).toEqual(clf.labels);
  });

  it('refuses a model.json whose signature does not match the graph', async () => {
    const wrong = { ...manifest, signature: { ...manifest.signature, input: { ...manifest.signature.input, name: 'tokens' } } };
    await expect(OnnxTextClassifier.load(onnx, wrong)).rejects.toThrow('ONNX graph does not match model.json');
  });
});

describe('exported ONNX text classifier with jieba words, NB weights and Platt calibration', () => {
  const rows = generateSyntheticComments(500, 12).map((c) => ({ text: c.text, label: c.sentiment === 'negative' ? 'negative' : 'other' }));
  const clf = trainTextClassifier(rows, {
    featurizer: { kind: 'char-word-ngram-hash', dim: 2048, minN: 1, maxN: 3, seed: 0, maxChars: 2000, words: { segmenter: 'jieba', minN: 1, maxN: 2 } },
    train: { epochs: 3, batchSize: 16, learningRate: 0.05, l2: 1e-6, seed: 9 },
    testFraction: 0.2,
    splitSeed: 1,
    nb: { alpha: 1 },
    l2Grid: [1e-6, 1e-4],
    calibrate: true,
    selectEpochs: true,
  });
  const { manifest, onnx } = packageTextClassifier(clf, { name: 'test-sentiment', task: 'sentiment', provenance: 'unit test' });
  const texts = ['房间很大，早餐不错', '服务太差了，再也不来', 'HOW MUCH is the python course??', '', 'x'.repeat(3000), '讲得太好了👍'];

  it('records the feature recipe, the chosen λ, the calibration and a reliability table in model.json', () => {
    const reloaded = textClassifierManifestSchema.parse(JSON.parse(JSON.stringify(manifest)));
    expect(reloaded.featurizer).toEqual(clf.featurizer);
    expect(reloaded.featurizer.words).toEqual({ segmenter: 'jieba', minN: 1, maxN: 2 });
    expect(reloaded.training).toMatchObject({ nbAlpha: 1, l2Grid: '0.000001,0.0001' });
    expect([1e-6, 1e-4]).toContain(reloaded.training.l2);
    expect(String(reloaded.training.calibration)).toMatch(/^platt a=/);
    expect(clf.selection).toHaveLength(2);
    // epochs chosen on the inner validation split among 1..3, and recorded
    expect(reloaded.training.maxEpochs).toBe(3);
    expect([1, 2, 3]).toContain(reloaded.training.epochs);
    expect(clf.selection.map((c) => c.epochs).every((e) => e >= 1 && e <= 3)).toBe(true);
    expect(reloaded.metrics.reliability?.n).toBe(clf.report.n);
  });

  it('serves through OnnxTextClassifier with the same probabilities as the training forward pass (tolerance 1e-5)', async () => {
    const reloaded = textClassifierManifestSchema.parse(JSON.parse(JSON.stringify(manifest)));
    for (const t of texts) {
      const a = featurize(t, clf.featurizer);
      const b = featurize(t, reloaded.featurizer);
      expect(Buffer.from(b.indices.buffer).equals(Buffer.from(a.indices.buffer))).toBe(true);
      expect(Buffer.from(b.values.buffer).equals(Buffer.from(a.values.buffer))).toBe(true);
    }
    const served = await OnnxTextClassifier.load(onnx, reloaded);
    const probs = await served.classify(texts);
    const ref = classifyWithTrainingCode(clf, texts);
    ref.forEach((p, i) => p.forEach((v, c) => expect(Math.abs(probs[i][c] - v)).toBeLessThan(1e-5)));
    await served.release();
  });

  it('refuses a model.json that declares words for a char-only featurizer', () => {
    const bad = { ...manifest, featurizer: { ...manifest.featurizer, kind: 'char-ngram-hash' } };
    expect(textClassifierManifestSchema.safeParse(bad).success).toBe(false);
  });
});
