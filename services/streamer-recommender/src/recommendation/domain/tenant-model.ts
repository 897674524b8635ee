import {
  AlsModel,
  BPR_DEFAULTS,
  BprModel,
  csrFromTriples,
  ItemNeighbours,
  itemCosineNeighbours,
  kMeansBySilhouette,
  standardise,
  trainBpr,
  trainImplicitAls,
} from '@livepromo/ml';
import { HistoryEntry, HybridWeights, popularityPrior } from './hybrid-blend';
import {
  categoryIndex,
  computeFeatures,
  contentVector,
  DIMS,
  FEATURE_NAMES,
  featureRow,
  interactionStrength,
  StreamerFeatures,
  StreamerRecord,
} from './streamer-features';

export interface PairRecord {
  userId: string;
  streamerId: string;
  enters: number;
  watchSec: number;
  interactions: number;
  purchases: number;
  /** epoch ms of the last interaction */
  lastAt: number;
}

export interface TrainingInput {
  tenantId: string;
  streamers: StreamerRecord[];
  pairs: PairRecord[];
  userInterests: { userId: string; category: string; weight: number }[];
}

export interface ModelOptions {
  factors: number;
  iterations: number;
  lambda: number;
  alpha: number;
  seed: number;
  kMax: number;
  shrinkage: number;
  followerReach: number;
  neighbours: number;
  weights: HybridWeights;
  /** ALS row solver: exact Cholesky or a few warm-started conjugate-gradient steps. */
  solver: 'cholesky' | 'cg';
  /** Weight of the watched streamers' content in a user's interest vector (explicit interest counts 1). */
  implicitInterestWeight: number;
  /** The factor model behind the cf component: implicit ALS, or BPR-MF (libs/ml bpr.ts). */
  cfModel: 'als' | 'bpr';
  bpr: { factors: number; epochs: number; learningRate: number; reg: number };
}

export const DEFAULT_MODEL_OPTIONS: Omit<ModelOptions, 'weights'> = {
  factors: 32,
  iterations: 10,
  lambda: 1,
  alpha: 5,
  seed: 42,
  kMax: 8,
  shrinkage: 20,
  followerReach: 0.05,
  neighbours: 50,
  solver: 'cg',
  implicitInterestWeight: 0.5,
  cfModel: 'als',
  bpr: { factors: 64, epochs: 30, learningRate: 0.05, reg: BPR_DEFAULTS.reg },
};

/**
 * A BPR model in the factor-model shape the recommender serves from: the item bias rides as one more
 * factor (user side 1), so y_i·x_u = b_i + q_i·p_u and scoreAllItems / cosine work unchanged.
 */
export function bprAsFactorModel(m: BprModel, alsOptions: AlsModel['options']): AlsModel {
  const f = m.factors + 1;
  const userFactors = new Float64Array(m.users * f);
  const itemFactors = new Float64Array(m.items * f);
  for (let u = 0; u < m.users; u++) {
    for (let a = 0; a < m.factors; a++) userFactors[u * f + a] = m.userFactors[u * m.factors + a];
    userFactors[u * f + m.factors] = 1;
  }
  for (let i = 0; i < m.items; i++) {
    for (let a = 0; a < m.factors; a++) itemFactors[i * f + a] = m.itemFactors[i * m.factors + a];
    itemFactors[i * f + m.factors] = m.itemBias[i];
  }
  return { factors: f, users: m.users, items: m.items, userFactors, itemFactors, losses: m.losses, options: alsOptions };
}

export interface ClusterDescription {
  cluster: number;
  size: number;
  /** Features whose cluster mean z-score is largest in magnitude. */
  distinguishing: { feature: string; z: number }[];
  label: string;
}

export interface Clustering {
  k: number;
  silhouette: number | null;
  tried: { k: number; silhouette: number }[];
  labels: Int32Array;
  clusters: ClusterDescription[];
  criterion: string;
}

export interface TenantModel {
  tenantId: string;
  version: string;
  trainedAt: string;
  trainingMs: number;
  /** Milliseconds per training phase. */
  phases: Record<string, number>;
  streamerIds: string[];
  streamerIndex: Map<string, number>;
  records: StreamerRecord[];
  features: StreamerFeatures[];
  userIds: string[];
  userIndex: Map<string, number>;
  /** Row-major users×DIMS, L1-normalised; explicit interest only (what the user showed outside live rooms). */
  explicitInterest: Float64Array;
  /** Row-major users×DIMS, L1-normalised; explicit + implicitInterestWeight × watched content. */
  interest: Float64Array;
  history: HistoryEntry[][];
  als: AlsModel;
  knn: ItemNeighbours;
  /** Interaction strength summed per streamer, and its log prior. */
  counts: Float64Array;
  popularity: Float64Array;
  clustering: Clustering;
  weights: HybridWeights;
  tenantConversion: number;
  options: Omit<ModelOptions, 'weights'>;
  stats: { users: number; streamers: number; pairs: number; interactionStrength: number };
}

/** L1-normalises each DIMS-wide row in place (all-zero rows stay zero). */
function normaliseRows(m: Float64Array, rows: number): void {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < DIMS; c++) sum += m[r * DIMS + c];
    if (sum > 0) for (let c = 0; c < DIMS; c++) m[r * DIMS + c] /= sum;
  }
}

function describeClusters(z: Float64Array, n: number, d: number, labels: Int32Array, k: number): ClusterDescription[] {
  const out: ClusterDescription[] = [];
  for (let c = 0; c < k; c++) {
    const mean = new Float64Array(d);
    let size = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== c) continue;
      size++;
      for (let j = 0; j < d; j++) mean[j] += z[i * d + j];
    }
    if (size) for (let j = 0; j < d; j++) mean[j] /= size;
    const distinguishing = FEATURE_NAMES.map((feature, j) => ({ feature, z: Math.round(mean[j] * 100) / 100 }))
      .filter((x) => x.z !== 0)
      .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
      .slice(0, 3);
    const label = distinguishing.length ? distinguishing.map((x) => `${x.z > 0 ? 'high' : 'low'} ${x.feature}`).join(', ') : 'average on every feature';
    out.push({ cluster: c, size, distinguishing, label });
  }
  return out;
}

/** Trains everything the recommender serves from for one tenant. Pure and deterministic for a seed (except the version/time stamps). */
export function buildTenantModel(input: TrainingInput, opts: ModelOptions, now = new Date()): TenantModel {
  const t0 = Date.now();
  const phases: Record<string, number> = {};
  let mark = t0;
  const phase = (name: string) => {
    const now = Date.now();
    phases[name] = now - mark;
    mark = now;
  };
  const { weights, ...options } = opts;
  // streamers: everyone with a profile or activity, plus anyone seen in pairs
  const records = [...input.streamers];
  const streamerIndex = new Map<string, number>();
  records.forEach((r, i) => streamerIndex.set(r.streamerId, i));
  for (const p of input.pairs)
    if (!streamerIndex.has(p.streamerId)) {
      streamerIndex.set(p.streamerId, records.length);
      records.push({
        streamerId: p.streamerId,
        name: null,
        profileCategories: [],
        followers: 0,
        priceBand: null,
        sessions: 0,
        liveSec: 0,
        enters: 0,
        watchSec: 0,
        interactions: 0,
        orders: 0,
        revenueMinor: 0,
        sessionCategories: {},
      });
    }
  const nS = records.length;
  const userIndex = new Map<string, number>();
  const userIds: string[] = [];
  const uid = (u: string) => {
    let i = userIndex.get(u);
    if (i === undefined) {
      i = userIds.length;
      userIndex.set(u, i);
      userIds.push(u);
    }
    return i;
  };
  for (const p of input.pairs) uid(p.userId);
  for (const x of input.userInterests) uid(x.userId);
  const nU = userIds.length;

  // explicit interest
  const explicitInterest = new Float64Array(nU * DIMS);
  for (const x of input.userInterests) {
    const c = categoryIndex(x.category);
    if (c >= 0) explicitInterest[(userIndex.get(x.userId) as number) * DIMS + c] += x.weight;
  }
  normaliseRows(explicitInterest, nU);

  // interactions
  const contents = records.map((r) => contentVector(r));
  const history: HistoryEntry[][] = Array.from({ length: nU }, () => []);
  const rr: number[] = [];
  const cc: number[] = [];
  const vv: number[] = [];
  const counts = new Float64Array(nS);
  const audience = Array.from({ length: nS }, () => new Float64Array(DIMS));
  const implicit = new Float64Array(nU * DIMS);
  let totalStrength = 0;
  for (const p of input.pairs) {
    const u = userIndex.get(p.userId) as number;
    const s = streamerIndex.get(p.streamerId) as number;
    const w = interactionStrength(p);
    if (w <= 0) continue;
    history[u].push({ item: s, weight: w, lastAt: p.lastAt });
    rr.push(u);
    cc.push(s);
    vv.push(w);
    counts[s] += w;
    totalStrength += w;
    for (let c = 0; c < DIMS; c++) {
      audience[s][c] += w * explicitInterest[u * DIMS + c];
      implicit[u * DIMS + c] += w * contents[s][c];
    }
  }
  normaliseRows(implicit, nU);
  const interest = new Float64Array(nU * DIMS);
  for (let i = 0; i < nU * DIMS; i++) interest[i] = explicitInterest[i] + options.implicitInterestWeight * implicit[i];
  normaliseRows(interest, nU);

  let enters = 0;
  let orders = 0;
  for (const r of records) {
    enters += r.enters;
    orders += r.orders;
  }
  const tenantConversion = enters > 0 ? orders / enters : 0;
  const features = records.map((r, s) => computeFeatures(r, audience[s], { tenantConversion, shrinkage: options.shrinkage, followerReach: options.followerReach }));

  phase('features');
  // collaborative filtering
  const R = csrFromTriples(nU, nS, rr, cc, vv);
  phase('matrix');
  const alsOptions = { factors: options.factors, iterations: options.iterations, lambda: options.lambda, alpha: options.alpha, seed: options.seed, solver: options.solver, cgSteps: 3 };
  const als = options.cfModel === 'bpr' ? bprAsFactorModel(trainBpr(R, { ...options.bpr, seed: options.seed }), alsOptions) : trainImplicitAls(R, alsOptions);
  phase(options.cfModel);
  const knn = itemCosineNeighbours(R, options.neighbours);
  phase('itemKnn');

  // clustering on standardised features, k by silhouette
  const d = FEATURE_NAMES.length;
  const raw = new Float64Array(nS * d);
  features.forEach((f, s) => raw.set(featureRow(f), s * d));
  const { z } = standardise(raw, nS, d);
  let clustering: Clustering;
  if (nS >= 3) {
    const km = kMeansBySilhouette(z, nS, d, 2, options.kMax, { seed: options.seed, silhouetteSample: 1000 });
    clustering = {
      k: km.k,
      silhouette: km.silhouette,
      tried: km.tried,
      labels: km.labels,
      clusters: describeClusters(z, nS, d, km.labels, km.k),
      criterion: `k-means++ on z-scored features, k in [2, ${Math.min(options.kMax, nS - 1)}] maximising the mean silhouette`,
    };
  } else {
    const labels = new Int32Array(nS);
    clustering = { k: nS ? 1 : 0, silhouette: null, tried: [], labels, clusters: nS ? describeClusters(z, nS, d, labels, 1) : [], criterion: 'fewer than 3 streamers: one cluster' };
  }

  phase('clustering');
  return {
    tenantId: input.tenantId,
    version: `m${now.getTime().toString(36)}`,
    trainedAt: now.toISOString(),
    trainingMs: Date.now() - t0,
    phases,
    streamerIds: records.map((r) => r.streamerId),
    streamerIndex,
    records,
    features,
    userIds,
    userIndex,
    explicitInterest,
    interest,
    history,
    als,
    knn,
    counts,
    popularity: popularityPrior(counts),
    clustering,
    weights,
    tenantConversion,
    options,
    stats: { users: nU, streamers: nS, pairs: rr.length, interactionStrength: totalStrength },
  };
}
