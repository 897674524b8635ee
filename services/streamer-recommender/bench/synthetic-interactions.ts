/**
 * Seeded synthetic interaction files with planted structure, for the eval CLI and the scale bench.
 *
 * - `movielensLike`: a MovieLens-100k-shaped rating file (943 users × 1,682 items, ~100k ratings, no
 *   repeats, ≥ 20 ratings per user), written like `u.data`: tab-separated, headerless,
 *   user item rating timestamp. Users pick items by a latent-factor model over a long-tailed popularity:
 *   P(i | u) ∝ pop_i · exp(β·x_u·y_i) (10 factors), sampled without replacement (Gumbel top-n).
 * - `catalogueScale`: a live-streaming-like log at catalogue scale (users × items × categories), each item
 *   in one category, each user with 3 favourite categories (80% of picks inside them), Zipf-like
 *   popularity inside a category, and ~30% repeat views; CSV user_id,item_id,timestamp,category.
 *
 *   node -r @swc-node/register services/streamer-recommender/bench/synthetic-interactions.ts movielens OUT
 */
import { createWriteStream, WriteStream } from 'node:fs';
import { gaussian, mulberry32, randomInt, Rng } from '@livepromo/ml';

async function write(out: WriteStream, s: string): Promise<void> {
  if (!out.write(s)) await new Promise<void>((r) => out.once('drain', () => r()));
}

async function close(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

export async function movielensLike(path: string, opts: { users?: number; items?: number; ratings?: number; seed?: number; beta?: number } = {}): Promise<{ rows: number }> {
  const U = opts.users ?? 943;
  const I = opts.items ?? 1682;
  const target = opts.ratings ?? 100_000;
  const beta = opts.beta ?? 1.5;
  const d = 10;
  const rng = mulberry32(opts.seed ?? 100);
  const x = Float64Array.from({ length: U * d }, () => gaussian(rng) / Math.sqrt(d) * 1.5);
  const y = Float64Array.from({ length: I * d }, () => gaussian(rng) / Math.sqrt(d) * 1.5);
  const logPop = Float64Array.from({ length: I }, () => 1.3 * gaussian(rng));
  // activity: 20 + a heavy tail, scaled so the total is close to the target
  const extra = Float64Array.from({ length: U }, () => Math.exp(1.1 * gaussian(rng)));
  const sumExtra = extra.reduce((a, b) => a + b, 0);
  const out = createWriteStream(path);
  let rows = 0;
  const keys = new Float64Array(I);
  const order = Array.from({ length: I }, (_, i) => i);
  for (let u = 0; u < U; u++) {
    const n = Math.min(740, I - 1, 20 + Math.round((extra[u] / sumExtra) * (target - 20 * U)));
    for (let i = 0; i < I; i++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += x[u * d + a] * y[i * d + a];
      keys[i] = logPop[i] + beta * s - Math.log(-Math.log(Math.max(1e-300, rng()))); // + Gumbel
    }
    order.sort((a, b) => keys[b] - keys[a]);
    let t = 874_724_710 + randomInt(rng, 200 * 86_400);
    let lines = '';
    for (let r = 0; r < n; r++) {
      const i = order[r];
      let s = 0;
      for (let a = 0; a < d; a++) s += x[u * d + a] * y[i * d + a];
      const rating = Math.max(1, Math.min(5, Math.round(3.5 + s + 0.8 * gaussian(rng))));
      t += 1 + randomInt(rng, 3600);
      lines += `${u + 1}\t${i + 1}\t${rating}\t${t}\n`;
      rows++;
    }
    await write(out, lines);
  }
  await close(out);
  return { rows };
}

/** Index in [0, n) with P(r) ∝ 1/(r+1)^s, by inverse transform over a precomputed CDF. */
function zipfSampler(n: number, s: number): (rng: Rng) => number {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let r = 0; r < n; r++) cdf[r] = acc += 1 / (r + 1) ** s;
  for (let r = 0; r < n; r++) cdf[r] /= acc;
  return (rng) => {
    const q = rng();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < q) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export async function catalogueScale(
  path: string,
  opts: { interactions?: number; users?: number; items?: number; categories?: number; seed?: number } = {},
): Promise<{ rows: number; users: number; items: number; categories: number }> {
  const N = opts.interactions ?? 1_000_000;
  const U = opts.users ?? 20_000;
  const I = opts.items ?? 100_000;
  const C = opts.categories ?? 5_000;
  const rng = mulberry32(opts.seed ?? 2026);
  // item → category (shuffled so ids carry no order), members per category in popularity order
  const itemCat = new Int32Array(I);
  const members: number[][] = Array.from({ length: C }, () => []);
  const perm = Array.from({ length: I }, (_, i) => i);
  for (let i = I - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  perm.forEach((item, r) => {
    itemCat[item] = r % C;
    members[r % C].push(item);
  });
  const inCat = zipfSampler(Math.ceil(I / C), 1.1);
  const catPop = zipfSampler(C, 0.8);
  // draw every interaction first, then give each never-drawn item a row of its own category (the catalogue
  // is exactly I items and the planted structure holds)
  const rowUser = new Int32Array(N);
  const rowItem = new Int32Array(N);
  const rowTime = new Float64Array(N);
  const drawn = new Int32Array(I);
  let rows = 0;
  for (let u = 0; u < U; u++) {
    const n = Math.floor(N / U) + (u < N % U ? 1 : 0);
    const fav = [catPop(rng), catPop(rng), catPop(rng)];
    const seen: number[] = [];
    let t = 1_700_000_000 + randomInt(rng, 86_400);
    for (let k = 0; k < n; k++) {
      let item: number;
      if (seen.length && rng() < 0.3) item = seen[randomInt(rng, seen.length)];
      else {
        const c = rng() < 0.8 ? fav[randomInt(rng, 3)] : catPop(rng);
        const m = members[c];
        item = m[Math.min(m.length - 1, inCat(rng))];
        seen.push(item);
      }
      t += 60 + randomInt(rng, 7200);
      rowUser[rows] = u;
      rowItem[rows] = item;
      rowTime[rows] = t;
      drawn[item]++;
      rows++;
    }
  }
  const rowsOfCat: number[][] = Array.from({ length: C }, () => []);
  for (let r = 0; r < rows; r++) rowsOfCat[itemCat[rowItem[r]]].push(r);
  for (let j = 0; j < I; j++) {
    if (drawn[j]) continue;
    const pool = rowsOfCat[itemCat[j]].filter((r) => drawn[rowItem[r]] > 1);
    let r = pool.length ? pool[randomInt(rng, pool.length)] : randomInt(rng, rows);
    while (drawn[rowItem[r]] < 2) r = randomInt(rng, rows); // free a row whose item keeps another row
    drawn[rowItem[r]]--;
    rowItem[r] = j;
    drawn[j]++;
  }
  const out = createWriteStream(path);
  await write(out, 'user_id,item_id,timestamp,category\n');
  for (let r0 = 0; r0 < rows; r0 += 10_000) {
    let lines = '';
    for (let r = r0; r < Math.min(rows, r0 + 10_000); r++) lines += `u${rowUser[r]},i${rowItem[r]},${rowTime[r]},c${itemCat[rowItem[r]]}\n`;
    await write(out, lines);
  }
  await close(out);
  return { rows, users: U, items: I, categories: C };
}

if (require.main === module) {
  const [kind, path] = process.argv.slice(2);
  if (!path || (kind !== 'movielens' && kind !== 'scale')) {
    process.stderr.write('usage: synthetic-interactions.ts movielens|scale OUT_FILE\n');
    process.exitCode = 2;
  } else
    void (kind === 'movielens' ? movielensLike(path) : catalogueScale(path)).then((r) => process.stderr.write(`wrote ${path}: ${JSON.stringify(r)}\n`));
}
