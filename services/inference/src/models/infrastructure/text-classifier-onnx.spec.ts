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
