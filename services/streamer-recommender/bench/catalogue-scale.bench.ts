/**
 * Catalogue-scale bench of the offline evaluation (issue #19 item 4): 1,000,000 interactions,
 * 20,000 users, 100,000 items, 5,000 categories (seeded, planted structure: see synthetic-interactions.ts),
 * through the eval CLI's own path: the CSV is read by `loadInteractions` (csv-parse, sparse item×category
 * content), then `runEvaluation` splits by time, fits the hybrid on a validation split, trains ALS (CG),
 * BPR, item-kNN and the sparse content component, and scores every model.
 * Goal: ≤ 5 minutes wall and ≤ 2 GB peak RSS (process.resourceUsage().maxRSS) on the 2-core box.
 *
 *   npm run bench -- recommender-scale
 *   (or node -r @swc-node/register services/streamer-recommender/bench/catalogue-scale.bench.ts)
 * Env: SCALE_INTERACTIONS, SCALE_USERS, SCALE_ITEMS, SCALE_CATEGORIES, SCALE_EVAL_USERS (default 2000),
 * BENCH_OUT (default bench/results/streamer-recommender-scale.json). The generated CSV goes to the OS temp dir.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CliArgs, loadInteractions } from '../src/cli/eval-recommender.cli';
import { runEvaluation } from '../src/evaluation/domain/run-evaluation';
import { catalogueScale } from './synthetic-interactions';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const OUT = resolve(process.env.BENCH_OUT ?? 'bench/results/streamer-recommender-scale.json');
const log = (m: string) => process.stderr.write(`[scale] ${m}\n`);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rec-scale-'));
  const file = join(dir, 'interactions.csv');
  try {
    const t0 = Date.now();
    const gen = await catalogueScale(file, {
      interactions: env('SCALE_INTERACTIONS', 1_000_000),
      users: env('SCALE_USERS', 20_000),
      items: env('SCALE_ITEMS', 100_000),
      categories: env('SCALE_CATEGORIES', 5_000),
    });
    const generateMs = Date.now() - t0;
    log(`generated ${gen.rows} rows (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${generateMs} ms`);

    const started = Date.now();
    const cpu0 = process.cpuUsage();
    const args: CliArgs = {
      data: file,
      contentCol: 'category',
      split: 'time',
      holdout: 0.1,
      k: 10,
      seed: 42,
      evalUsers: env('SCALE_EVAL_USERS', 2000),
      fitUsers: 500,
      models: ['popularity', 'repeat-by-frequency', 'item-knn', 'als', 'bpr', 'content', 'hybrid'],
      factors: 32,
      iterations: 8,
      alsSolver: 'cg',
      neighbours: 50,
      bpr: { factors: 32, epochs: 15, learningRate: 0.05, reg: 0.001 },
    };
    const data = await loadInteractions(args, log);
    const readMs = Date.now() - started;
    log(`read ${data.rows} interactions, ${data.users} users, ${data.items} items, ${data.labels} categories in ${readMs} ms`);
    const report = runEvaluation(
      data.events,
      data.items,
      {
        split: args.split,
        holdout: args.holdout,
        k: args.k,
        models: args.models,
        seed: args.seed,
        evalUsers: args.evalUsers,
        fitUsers: args.fitUsers,
        component: { factors: args.factors, iterations: args.iterations, lambda: 1, alpha: 5, alsSolver: args.alsSolver, neighbours: args.neighbours, bpr: args.bpr },
        itemContent: data.itemContent,
      },
      log,
    );
    const wallMs = Date.now() - started;
    const cpu = process.cpuUsage(cpu0);
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const result = {
      date: new Date().toISOString(),
      cores: cpus().length,
      loadavg1mAtEnd: Number(loadavg()[0].toFixed(2)),
      method:
        'wall and CPU time from reading the CSV to the last metric (generation excluded), one process; peak RSS = process.resourceUsage().maxRSS of the whole process (generation included); evaluation on a seeded sample of test users',
      shape: { interactions: data.rows, users: data.users, items: data.items, categories: data.labels },
      settings: { ...args, data: '(temp file)' },
      goal: { wallSec: 300, peakRssMb: 2048 },
      wallSec: Number((wallMs / 1000).toFixed(1)),
      cpuSec: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      peakRssMb,
      phasesMs: { generate: generateMs, read: readMs, ...report.timingsMs },
      evaluatedUsers: report.dataset.evaluatedUsers,
      hybridWeights: report.hybrid?.weights,
      ndcgAt10: Object.fromEntries(Object.entries(report.results).map(([k, v]) => [k, Number(v.ndcg.toFixed(4))])),
      withinGoal: wallMs <= 300_000 && peakRssMb <= 2048,
    };
    log(`wall ${result.wallSec} s (CPU ${result.cpuSec} s), peak RSS ${peakRssMb} MB: ${result.withinGoal ? 'within' : 'OUTSIDE'} the 5 min / 2 GB goal`);
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
    log(`wrote ${OUT}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`catalogue-scale bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
