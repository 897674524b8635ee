import { mulberry32, randomInt, Rng, shuffleInPlace } from './random';
import { squaredDistance } from './vector';

export interface KMeansResult {
  k: number;
  /** Row-major k×d centroids. */
  centroids: Float64Array;
  /** Cluster of each row. */
  labels: Int32Array;
  /** Sum of squared distances to the assigned centroid. */
  inertia: number;
  iterations: number;
}

export interface KMeansOptions {
  seed?: number;
  maxIterations?: number;
  /** Independent k-means++ restarts; the lowest inertia wins. Default 3. */
  restarts?: number;
  /** Rows sampled for the silhouette in kMeansBySilhouette. Default 2000. */
  silhouetteSample?: number;
}

/** k-means++ seeding (Arthur & Vassilvitskii 2007): each next centre drawn with probability ∝ D(x)². */
export function kMeansPlusPlusSeeds(data: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centroids = new Float64Array(k * d);
  const first = randomInt(rng, n);
  centroids.set(data.subarray(first * d, first * d + d), 0);
  const dist = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const dd = squaredDistance(data, centroids, i * d, (c - 1) * d, d);
      if (dd < dist[i]) dist[i] = dd;
      total += dist[i];
    }
    let pick = 0;
    if (total > 0) {
      let r = rng() * total;
      for (pick = 0; pick < n - 1; pick++) {
        r -= dist[pick];
        if (r <= 0) break;
      }
    } else pick = randomInt(rng, n);
    centroids.set(data.subarray(pick * d, pick * d + d), c * d);
  }
  return centroids;
}

function lloyd(data: Float64Array, n: number, d: number, k: number, centroids: Float64Array, maxIterations: number): KMeansResult {
  const labels = new Int32Array(n).fill(-1);
  const counts = new Float64Array(k);
  let inertia = 0;
  let it = 0;
  for (; it < maxIterations; it++) {
    let changed = false;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const dd = squaredDistance(data, centroids, i * d, c * d, d);
        if (dd < bestD) {
          bestD = dd;
          best = c;
        }
      }
      inertia += bestD;
      if (labels[i] !== best) {
        labels[i] = best;
        changed = true;
      }
    }
    if (!changed && it > 0) break;
    const sums = new Float64Array(k * d);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      counts[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += data[i * d + j];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue; // an empty cluster keeps its centre
      for (let j = 0; j < d; j++) centroids[c * d + j] = sums[c * d + j] / counts[c];
    }
  }
  return { k, centroids, labels, inertia, iterations: it + 1 };
}

/** Lloyd's k-means on a row-major n×d matrix with k-means++ seeding; deterministic for a seed. */
export function kMeans(data: Float64Array, n: number, d: number, k: number, opts: KMeansOptions = {}): KMeansResult {
  if (k < 1 || k > n) throw new RangeError(`k must be in [1, ${n}], got ${k}`);
  const rng = mulberry32(opts.seed ?? 1);
  let best: KMeansResult | null = null;
  for (let r = 0; r < (opts.restarts ?? 3); r++) {
    const res = lloyd(data, n, d, k, kMeansPlusPlusSeeds(data, n, d, k, rng), opts.maxIterations ?? 100);
    if (!best || res.inertia < best.inertia) best = res;
  }
  return best as KMeansResult;
}

/**
 * Mean silhouette (Rousseeuw 1987): s(i) = (b − a) / max(a, b), a = mean distance to its own
 * cluster, b = mean distance to the nearest other cluster; singletons score 0.
 * Over `sampleSize` rows at most (seeded sample), since it is O(n²·d).
 */
export function silhouette(data: Float64Array, n: number, d: number, labels: Int32Array, k: number, sampleSize = 2000, seed = 7): number {
  if (k < 2) return 0;
  let rows = Array.from({ length: n }, (_, i) => i);
  if (n > sampleSize) rows = shuffleInPlace(mulberry32(seed), rows).slice(0, sampleSize);
  const sizes = new Float64Array(k);
  for (const i of rows) sizes[labels[i]]++;
  let total = 0;
  const sums = new Float64Array(k);
  for (const i of rows) {
    sums.fill(0);
    for (const j of rows) {
      if (i === j) continue;
      sums[labels[j]] += Math.sqrt(squaredDistance(data, data, i * d, j * d, d));
    }
    const own = labels[i];
    if (sizes[own] <= 1) continue;
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
    if (!Number.isFinite(b)) continue;
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return rows.length ? total / rows.length : 0;
}

export interface ChosenClustering extends KMeansResult {
  silhouette: number;
  /** Silhouette of every k tried. */
  tried: { k: number; silhouette: number }[];
}

/** Tries k in [kMin, kMax] and keeps the k with the highest mean silhouette. */
export function kMeansBySilhouette(data: Float64Array, n: number, d: number, kMin = 2, kMax = 8, opts: KMeansOptions = {}): ChosenClustering {
  if (n < 3) {
    const r = kMeans(data, n, d, Math.max(1, Math.min(n, 1)), opts);
    return { ...r, silhouette: 0, tried: [] };
  }
  const hi = Math.min(kMax, n - 1);
  let best: ChosenClustering | null = null;
  const tried: { k: number; silhouette: number }[] = [];
  for (let k = Math.max(2, kMin); k <= hi; k++) {
    const r = kMeans(data, n, d, k, opts);
    const s = silhouette(data, n, d, r.labels, k, opts.silhouetteSample ?? 2000, opts.seed ?? 7);
    tried.push({ k, silhouette: s });
    if (!best || s > best.silhouette) best = { ...r, silhouette: s, tried };
  }
  return best as ChosenClustering;
}
