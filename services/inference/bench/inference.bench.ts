/**
 * Inference bench (standalone, loopback only, < ~60 s on 2 cores):
 *  - comments classified per second (intent + sentiment, as the live-comment pipeline does)
 *    through the micro-batcher, against a bare baseline of one ONNX call per comment;
 *  - single-request latency p50/p99 through the batcher, alone and under concurrent load.
 * Writes bench/results/inference.json.
 *
 *   node -r @swc-node/register services/inference/bench/inference.bench.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { trainDefaultCommentModel } from '../src/models/domain/default-comment-models';
import { MicroBatcher } from '../src/models/domain/micro-batcher';
import { generateSyntheticComments } from '../src/models/domain/synthetic-comments';
import { OnnxTextClassifier } from '../src/models/infrastructure/onnx-text-classifier';
import { packageTextClassifier } from '../src/models/infrastructure/text-classifier-onnx';
import { percentile } from '@livepromo/testing';

const BATCH = { maxSize: 64, maxWaitMs: 2 };
const DEADLINE = Date.now() + 80_000;


const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

async function load(task: 'intent' | 'sentiment'): Promise<OnnxTextClassifier> {
  const { classifier } = trainDefaultCommentModel(task);
  const { manifest, onnx } = packageTextClassifier(classifier, { name: `comment-${task}`, task, provenance: 'bench' });
  const c = await OnnxTextClassifier.load(onnx, manifest);
  await c.classify(['warm-up']);
  return c;
}

async function main(): Promise<void> {
  const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
  log('training the default comment models');
  const [intent, sentiment] = [await load('intent'), await load('sentiment')];
  const comments = generateSyntheticComments(6000, 77).map((c) => c.text);

  // Baseline: one inference call per comment and model, no batching.
  const baseN = 1500;
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < baseN; i++) {
    await intent.classify([comments[i]]);
    await sentiment.classify([comments[i]]);
  }
  const baseSec = Number(process.hrtime.bigint() - t0) / 1e9;
  const baselinePerSec = baseN / baseSec;
  log(`baseline (unbatched): ${baselinePerSec.toFixed(0)} comments/s`);

  // Through the batchers: 64 concurrent producers each submitting one comment at a time.
  const bi = new MicroBatcher<string, Float32Array>((t) => intent.classify(t), BATCH);
  const bs = new MicroBatcher<string, Float32Array>((t) => sentiment.classify(t), BATCH);
  const classifyOne = (text: string) => Promise.all([bi.submit([text]), bs.submit([text])]);
  const concurrency = 64;
  let next = 0;
  const latLoad: number[] = [];
  t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < comments.length && Date.now() < DEADLINE) {
        const text = comments[next++];
        const s = process.hrtime.bigint();
        await classifyOne(text);
        latLoad.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    }),
  );
  const batchedSec = Number(process.hrtime.bigint() - t0) / 1e9;
  const batchedPerSec = latLoad.length / batchedSec;
  const meanBatch = bi.stats.items / bi.stats.batches;
  log(`batched (${concurrency} concurrent): ${batchedPerSec.toFixed(0)} comments/s, mean batch ${meanBatch.toFixed(1)}`);

  // Single requests alone (sequential): latency includes the batcher's wait.
  const latAlone: number[] = [];
  for (let i = 0; i < 500 && Date.now() < DEADLINE; i++) {
    const s = process.hrtime.bigint();
    await classifyOne(comments[i]);
    latAlone.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  // The same single requests with no batcher wait (bare inference), for comparison.
  const latBare: number[] = [];
  for (let i = 0; i < 500 && Date.now() < DEADLINE; i++) {
    const s = process.hrtime.bigint();
    await Promise.all([intent.classify([comments[i]]), sentiment.classify([comments[i]])]);
    latBare.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  [latLoad, latAlone, latBare].forEach((a) => a.sort((x, y) => x - y));

  const result = {
    service: 'inference',
    date: new Date().toISOString(),
    cores: cpus().length,
    node: process.version,
    what: 'live comments classified (intent + sentiment, hashed char 1-3-gram softmax models, dim 16384) in-process through onnxruntime-node',
    batcher: BATCH,
    throughput: {
      batchedCommentsPerSec: round(batchedPerSec, 1),
      baselineUnbatchedCommentsPerSec: round(baselinePerSec, 1),
      ratioBatchedOverBaseline: round(batchedPerSec / baselinePerSec, 2),
      concurrentProducers: concurrency,
      comments: latLoad.length,
      meanBatchSize: round(meanBatch, 1),
    },
    latencyMs: {
      singleRequestAlone: { p50: round(percentile(latAlone, 50)), p99: round(percentile(latAlone, 99)), n: latAlone.length },
      singleRequestUnderLoad: { p50: round(percentile(latLoad, 50)), p99: round(percentile(latLoad, 99)), n: latLoad.length, concurrency },
      bareInferenceNoBatcher: { p50: round(percentile(latBare, 50)), p99: round(percentile(latBare, 99)), n: latBare.length },
    },
  };
  await intent.release();
  await sentiment.release();
  const dir = join(__dirname, '..', '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'inference.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
