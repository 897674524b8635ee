/**
 * Offline evaluation of the recommenders on any interaction CSV.
 *
 *   npm run eval:recommender -- --data FILE [--out FILE] [--user-col C] [--item-col C] [--time-col C]
 *        [--weight-col C] [--content-col C] [--holdout 0.1] [--k 10] [--factors 32] [--iterations 12] [--seed 42]
 *
 * Columns are given by header name or 0-based index; without flags the header is searched for
 * user/item/time/weight names (user_id, item/item_id/streamer_id/streamer_name, timestamp/time/start_time, weight),
 * falling back to columns 0,1,2[,3] (the 4th column is the weight when user, item, time are the first three).
 * The first line is a header when it names a known column or its time column holds no time. An optional item-metadata column (--content-col, e.g. community)
 * feeds the hybrid's content component. Each user's last 10% of interactions by time is held out; the
 * hybrid's weights are fitted on a validation split carved the same way out of the training part.
 * Progress goes to stderr, the JSON result to stdout and to --out.
 */
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import {
  BASELINE_WEIGHTS,
  ComponentModels,
  evaluateWeights,
  fitHybridWeights,
  Metrics,
  splitByUserTime,
  truncateEvents,
  UserEvents,
} from '../evaluation/domain/offline-evaluation';
import { Columns, looksLikeHeader, parseTime, resolveColumns } from './csv-columns';

interface Args {
  data: string;
  out: string;
  userCol?: string;
  itemCol?: string;
  timeCol?: string;
  weightCol?: string;
  contentCol?: string;
  holdout: number;
  k: number;
  factors: number;
  iterations: number;
  seed: number;
}

function parseArgs(argv: string[]): Args {
  const m = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) m.set(a.slice(2, eq), a.slice(eq + 1));
    else m.set(a.slice(2), argv[++i] ?? '');
  }
  const data = m.get('data');
  if (!data) {
    process.stderr.write('usage: eval-recommender --data FILE [--out FILE] [--user-col C] [--item-col C] [--time-col C] [--weight-col C] [--holdout 0.1] [--k 10]\n');
    process.exit(2);
  }
  const num = (k: string, d: number) => {
    const v = m.get(k);
    const n = v === undefined ? d : Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${k} must be a number, got ${v}`);
    return n;
  };
  return {
    data,
    out: m.get('out') ?? 'bench/results/streamer-recommender-eval.json',
    userCol: m.get('user-col'),
    itemCol: m.get('item-col'),
    timeCol: m.get('time-col'),
    weightCol: m.get('weight-col'),
    contentCol: m.get('content-col'),
    holdout: num('holdout', 0.1),
    k: num('k', 10),
    factors: num('factors', 32),
    iterations: num('iterations', 12),
    seed: num('seed', 42),
  };
}

const log = (msg: string) => process.stderr.write(`[eval] ${msg}\n`);

function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

async function load(args: Args) {
  const rl = createInterface({ input: createReadStream(args.data), crlfDelay: Infinity });
  const userIdx = new Map<string, number>();
  const itemIdx = new Map<string, number>();
  const events: UserEvents[] = [];
  let cols: Columns | null = null;
  const labelIdx = new Map<string, number>();
  const itemLabels: Map<number, number>[] = [];
  let header: string[] | null = null;
  let rows = 0;
  let skipped = 0;
  for await (const line of rl) {
    if (!line.trim()) continue;
    const f = splitCsvLine(line);
    if (!cols) {
      header = looksLikeHeader(f, args) ? f : null;
      cols = resolveColumns(header, f.length, args);
      log(`columns: user=${cols.u} item=${cols.i} time=${cols.t} weight=${cols.w ?? '(1 per row)'} content=${cols.c ?? '(none)'}${header ? ` (header ${JSON.stringify(header)})` : ''}`);
      if (header) continue;
    }
    const user = f[cols.u]?.trim();
    const item = f[cols.i]?.trim();
    const ts = f[cols.t]?.trim();
    if (!user || !item || !ts) {
      skipped++;
      continue;
    }
    let t: number;
    try {
      t = parseTime(ts);
    } catch {
      skipped++;
      continue;
    }
    const w = cols.w !== undefined ? Number(f[cols.w]) : 1;
    let u = userIdx.get(user);
    if (u === undefined) {
      u = userIdx.size;
      userIdx.set(user, u);
      events.push({ items: [], times: [], weights: [] });
    }
    let i = itemIdx.get(item);
    if (i === undefined) {
      i = itemIdx.size;
      itemIdx.set(item, i);
    }
    if (cols.c !== undefined) {
      const label = f[cols.c]?.trim();
      if (label) {
        let l = labelIdx.get(label);
        if (l === undefined) labelIdx.set(label, (l = labelIdx.size));
        while (itemLabels.length <= i) itemLabels.push(new Map());
        itemLabels[i].set(l, (itemLabels[i].get(l) ?? 0) + 1);
      }
    }
    events[u].items.push(i);
    events[u].times.push(t);
    events[u].weights.push(Number.isFinite(w) && w > 0 ? w : 1);
    rows++;
    if (rows % 100000 === 0) log(`read ${rows} rows`);
  }
  let itemContent: { labels: number; counts: Float64Array } | undefined;
  if (labelIdx.size) {
    const L = labelIdx.size;
    const counts = new Float64Array(itemIdx.size * L);
    itemLabels.forEach((m, i) => m.forEach((n, l) => (counts[i * L + l] = n)));
    itemContent = { labels: L, counts };
  }
  return { events, users: userIdx.size, items: itemIdx.size, rows, skipped, itemContent };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  log(`reading ${args.data}`);
  const data = await load(args);
  log(`${data.rows} interactions, ${data.users} users, ${data.items} items (${data.skipped} rows skipped)`);

  const split = splitByUserTime(data.events, args.holdout);
  log(`split: ${split.trainInteractions} train / ${split.testInteractions} held out (each user's last ${args.holdout * 100}% by time)`);
  const opts = { factors: args.factors, iterations: args.iterations, seed: args.seed, progress: log, itemContent: data.itemContent };
  if (data.itemContent) log(`content: ${data.itemContent.labels} item labels (item metadata column) → content component = cos(user's label profile, item's labels)`);

  log('fitting hybrid weights on a validation split of the training part');
  const valSplit = splitByUserTime(truncateEvents(data.events, args.holdout), args.holdout);
  const valModels = new ComponentModels(valSplit.train, data.items, opts);
  const fit = fitHybridWeights(valModels, valSplit.test, args.k, 1000, args.seed);
  log(`fitted weights ${JSON.stringify(fit.weights)} (validation NDCG@${args.k} ${fit.ndcg.toFixed(4)}, ${fit.tried} grid points)`);

  log('training on the full training part');
  const t0 = Date.now();
  const models = new ComponentModels(split.train, data.items, opts);
  const trainMs = Date.now() - t0;

  const results: Record<string, Metrics> = {};
  for (const [name, w] of [...Object.entries(BASELINE_WEIGHTS), ['hybrid', fit.weights] as const]) {
    const t = Date.now();
    results[name] = evaluateWeights(models, split.test, w, args.k);
    log(`${name}: HR@${args.k} ${results[name].hitRate.toFixed(4)} Recall@${args.k} ${results[name].recall.toFixed(4)} NDCG@${args.k} ${results[name].ndcg.toFixed(4)} MRR@${args.k} ${results[name].mrr.toFixed(4)} item-MRR@${args.k} ${results[name].itemMrr.toFixed(4)} coverage ${results[name].coverage.toFixed(4)} (${Date.now() - t} ms)`);
  }
  const report = {
    data: resolve(args.data),
    date: new Date().toISOString(),
    cores: cpus().length,
    protocol: {
      split: `per user, the last ${args.holdout * 100}% of interactions by time (ceil, at least 1 for users with ≥ 2 interactions) held out; relevant = distinct held-out items`,
      k: args.k,
      metrics: {
        hitRate: `share of users with ≥ 1 held-out item in the top ${args.k} (HR@${args.k})`,
        recall: `|top ${args.k} ∩ held-out| / |held-out|, averaged over users (Recall@${args.k})`,
        ndcg: `binary-gain NDCG@${args.k}`,
        mrr: `1 / rank of the first held-out item within the top ${args.k}, averaged over users (MRR@${args.k})`,
        itemMrr: `mean over each user's held-out items of 1 / rank (0 outside the top ${args.k}), averaged over users (MRR@${args.k} per item, the data README's convention)`,
        coverage: `distinct items in any top ${args.k} / catalogue size`,
      },
      candidates: 'all items, including the ones the user already watched (repeat consumption counts)',
      hybrid: 'M = Σ δk·Ck + ε·B over repeat (frequency), recency, cf (ALS), itemKnn, content (when a content column exists: cosine of the user history label profile with the item label distribution), B = popularity; each component scaled by its max per user; weights fitted by grid search over the simplex (step 0.1, 0.125 with content) on a validation split carved out of training the same way',
      factorisation: `implicit ALS (Hu-Koren-Volinsky), ${args.factors} factors, ${args.iterations} iterations, λ=1, α=5, seed ${args.seed}`,
    },
    dataset: { interactions: data.rows, users: data.users, items: data.items, train: split.trainInteractions, heldOut: split.testInteractions },
    hybridWeights: fit.weights,
    validationNdcg: fit.ndcg,
    trainMs,
    results,
    totalMs: Date.now() - started,
  };
  const json = JSON.stringify(report, null, 2);
  process.stdout.write(json + '\n');
  mkdirSync(dirname(resolve(args.out)), { recursive: true });
  writeFileSync(args.out, json + '\n');
  log(`wrote ${args.out}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`eval-recommender failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
