import '../../../test/ort-jest-realm';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32, softmax } from '@livepromo/ml';
import { WordPieceTokenizer } from '../domain/wordpiece-tokenizer';
import { loadClassifierRuntime } from './classifier-runtime';
import { findModelFolders, readModelFolder } from './model-files';
import { encodeOnnxModel } from './onnx-protobuf';

/**
 * A tiny transformer-shaped sequence classifier built by the test itself: token + segment
 * embeddings, masked mean pooling, linear head → logits; inputs int64 input_ids,
 * attention_mask, token_type_ids [N, L] like a BERT export.
 */
function tinyBertLike(vocabSize: number, hidden: number, classes: number, seed: number) {
  const rand = mulberry32(seed);
  const rnd = (n: number) => Float32Array.from({ length: n }, () => rand() * 2 - 1);
  const E = rnd(vocabSize * hidden);
  const T = rnd(2 * hidden);
  const W = rnd(classes * hidden);
  const b = rnd(classes);
  const onnx = encodeOnnxModel({
    graphName: 'tiny-bert-like',
    producerName: 'test',
    producerVersion: '1',
    opsetVersion: 13,
    initializers: [
      { name: 'E', dims: [vocabSize, hidden], data: E },
      { name: 'T', dims: [2, hidden], data: T },
      { name: 'W', dims: [classes, hidden], data: W },
      { name: 'b', dims: [classes], data: b },
      { name: 'axis2', dims: [1], data: BigInt64Array.from([2n]) },
      { name: 'axis1', dims: [1], data: BigInt64Array.from([1n]) },
    ],
    nodes: [
      { opType: 'Gather', name: 'tok', inputs: ['E', 'input_ids'], outputs: ['te'] },
      { opType: 'Gather', name: 'seg', inputs: ['T', 'token_type_ids'], outputs: ['se'] },
      { opType: 'Add', name: 'emb', inputs: ['te', 'se'], outputs: ['e'] },
      { opType: 'Cast', name: 'maskf', inputs: ['attention_mask'], outputs: ['m'], attributes: [{ name: 'to', int: 1 }] },
      { opType: 'Unsqueeze', name: 'mask3', inputs: ['m', 'axis2'], outputs: ['m3'] },
      { opType: 'Mul', name: 'masked', inputs: ['e', 'm3'], outputs: ['em'] },
      { opType: 'ReduceSum', name: 'sum', inputs: ['em', 'axis1'], outputs: ['s'], attributes: [{ name: 'keepdims', int: 0 }] },
      { opType: 'ReduceSum', name: 'count', inputs: ['m3', 'axis1'], outputs: ['c'], attributes: [{ name: 'keepdims', int: 0 }] },
      { opType: 'Div', name: 'mean', inputs: ['s', 'c'], outputs: ['pooled'] },
      { opType: 'Gemm', name: 'head', inputs: ['pooled', 'W', 'b'], outputs: ['logits'], attributes: [{ name: 'transB', int: 1 }] },
    ],
    inputs: [
      { name: 'input_ids', shape: ['N', 'L'], elemType: 'int64' },
      { name: 'attention_mask', shape: ['N', 'L'], elemType: 'int64' },
      { name: 'token_type_ids', shape: ['N', 'L'], elemType: 'int64' },
    ],
    outputs: [{ name: 'logits', shape: ['N', classes] }],
  });
  /** The same computation in plain TypeScript. */
  const reference = (ids: number[]): Float64Array => {
    const pooled = new Float64Array(hidden);
    for (const id of ids) for (let h = 0; h < hidden; h++) pooled[h] += (E[id * hidden + h] + T[h]) / ids.length;
    const logits = Array.from({ length: classes }, (_, c) => b[c] + pooled.reduce((a, p, h) => a + p * W[c * hidden + h], 0));
    return softmax(logits);
  };
  return { onnx, reference };
}

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '多', '少', '钱', '怎', '么', '买', '好', 'how', 'much', '?', '##s'];

describe('bring-your-own ONNX sequence classifier (WordPiece)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-byo-'));
  const folder = join(dir, 'tiny-bert');
  const { onnx, reference } = tinyBertLike(VOCAB.length, 8, 3, 4);

  beforeAll(() => {
    mkdirSync(folder);
    writeFileSync(join(folder, 'model.onnx'), onnx);
    writeFileSync(join(folder, 'vocab.txt'), `${VOCAB.join('\n')}\n`);
    writeFileSync(
      join(folder, 'config.json'),
      JSON.stringify({ id2label: { '0': 'negative', '1': 'neutral', '2': 'positive' }, max_position_embeddings: 16 }),
    );
    writeFileSync(join(folder, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true }));
    writeFileSync(join(folder, 'livepromo.json'), JSON.stringify({ name: 'tiny-bert', task: 'sentiment' }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is found in MODEL_DIR and read from its tokenizer files', async () => {
    expect(await findModelFolders(dir)).toEqual([folder]);
    const f = await readModelFolder(folder);
    expect(f.manifest).toMatchObject({
      format: 'livepromo-sequence-classifier',
      name: 'tiny-bert',
      task: 'sentiment',
      labels: ['negative', 'neutral', 'positive'],
    });
  });

  it('serves the same probabilities as the reference computation over the WordPiece ids, padded batch included', async () => {
    const f = await readModelFolder(folder);
    if (f.manifest.format !== 'livepromo-sequence-classifier') throw new Error('wrong format');
    const runtime = await loadClassifierRuntime(f.onnx, f.manifest);
    const texts = ['多少钱?', 'How much', '怎么买好好好好', 'zzz'];
    const probs = await runtime.classify(texts);
    const tok = new WordPieceTokenizer(f.manifest.tokenizer);
    texts.forEach((t, i) => {
      const ids = [2, ...tok.tokenize(t).map((p) => VOCAB.indexOf(p)), 3];
      const ref = reference(ids);
      ref.forEach((v, c) => expect(Math.abs(probs[i][c] - v)).toBeLessThan(1e-5));
    });
    await runtime.release();
  });
});
