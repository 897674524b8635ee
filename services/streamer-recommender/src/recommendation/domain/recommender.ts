import { cosine, itemKnnScores, l1Normalised, mmrRerank, scoreAllItems, topK } from '@livepromo/ml';
import { blend, HistoryEntry, HYBRID_COMPONENTS, HybridComponent, repeatComponents, scaleByMax, scaleMinMax } from './hybrid-blend';
import { CATEGORIES, DIMS } from './streamer-features';
import { TenantModel } from './tenant-model';

/** Who we recommend for: an interest vector, a CF vector, and a history (any may be missing = cold). */
export interface TargetProfile {
  interest: Float64Array | null;
  factors: Float64Array | null;
  history: HistoryEntry[];
}

export interface ComponentScore {
  /** The component's value for this streamer, in [0, 1]. */
  value: number;
  weight: number;
  /** weight × value: the part of the score it explains. */
  contribution: number;
}

export interface StreamerRecommendation {
  streamerId: string;
  name: string | null;
  score: number;
  components: Record<HybridComponent, ComponentScore>;
  cluster: { id: number; label: string };
  reasons: string[];
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** The content component: 0.6·cos(interest, streamer content) + 0.4·cos(interest, streamer audience). */
export function contentScores(model: TenantModel, interest: Float64Array | null): { content: Float64Array; contentCos: Float64Array; audienceCos: Float64Array } {
  const n = model.streamerIds.length;
  const content = new Float64Array(n);
  const contentCos = new Float64Array(n);
  const audienceCos = new Float64Array(n);
  if (!interest || interest.every((x) => x === 0)) return { content, contentCos, audienceCos };
  for (let s = 0; s < n; s++) {
    contentCos[s] = cosine(interest, model.features[s].content);
    audienceCos[s] = cosine(interest, model.features[s].audience);
    content[s] = 0.6 * contentCos[s] + 0.4 * audienceCos[s];
  }
  return { content, contentCos, audienceCos };
}

export function userProfile(model: TenantModel, userId: string): TargetProfile {
  const u = model.userIndex.get(userId);
  if (u === undefined) return { interest: null, factors: null, history: [] };
  const f = model.als.factors;
  const history = model.history[u];
  return {
    interest: model.interest.subarray(u * DIMS, u * DIMS + DIMS),
    factors: history.length ? model.als.userFactors.subarray(u * f, u * f + f) : null,
    history,
  };
}

/** A segment as one profile: mean interest, mean CF vector of members with history, merged histories. */
export function segmentProfile(model: TenantModel, userIds: readonly string[], interests?: Partial<Record<string, number>>): { profile: TargetProfile; known: number } {
  const f = model.als.factors;
  const interest = new Float64Array(DIMS);
  const factors = new Float64Array(f);
  const merged = new Map<number, HistoryEntry>();
  let known = 0;
  let withFactors = 0;
  for (const id of userIds) {
    const u = model.userIndex.get(id);
    if (u === undefined) continue;
    known++;
    for (let c = 0; c < DIMS; c++) interest[c] += model.interest[u * DIMS + c];
    if (model.history[u].length) {
      withFactors++;
      for (let a = 0; a < f; a++) factors[a] += model.als.userFactors[u * f + a];
    }
    for (const h of model.history[u]) {
      const m = merged.get(h.item) ?? { item: h.item, weight: 0, lastAt: -Infinity };
      m.weight += h.weight;
      m.lastAt = Math.max(m.lastAt, h.lastAt);
      merged.set(h.item, m);
    }
  }
  if (interests) for (const [c, w] of Object.entries(interests)) {
    const i = (CATEGORIES as readonly string[]).indexOf(c);
    if (i >= 0 && w) interest[i] += w;
  }
  if (withFactors) for (let a = 0; a < f; a++) factors[a] /= withFactors;
  return { profile: { interest: l1Normalised(interest), factors: withFactors ? factors : null, history: [...merged.values()] }, known };
}

/** Every hybrid component for every streamer, each in [0, 1]. */
export function componentScores(model: TenantModel, p: TargetProfile): Record<HybridComponent, Float64Array> & { contentCos: Float64Array; audienceCos: Float64Array } {
  const n = model.streamerIds.length;
  const { content, contentCos, audienceCos } = contentScores(model, p.interest);
  // components of weight 0 are not scored (content stays: the reasons quote its cosines)
  const w = model.weights;
  // BPR scores are only ordered and often all negative: min–max keeps their order, ÷ max would zero them
  const scaleCf = model.options.cfModel === 'bpr' ? scaleMinMax : scaleByMax;
  const cf = p.factors && w.cf > 0 ? scaleCf(scoreAllItems(model.als, p.factors)) : new Float64Array(n);
  const { repeat, recency } = w.repeat > 0 || w.recency > 0 ? repeatComponents(p.history, n) : { repeat: new Float64Array(n), recency: new Float64Array(n) };
  const itemKnn = p.history.length && w.itemKnn > 0
    ? scaleByMax(
        itemKnnScores(
          model.knn,
          p.history.map((h) => h.item),
          p.history.map((h) => h.weight),
        ),
      )
    : new Float64Array(n);
  return { content, cf, repeat, recency, itemKnn, popularity: model.popularity, contentCos, audienceCos };
}

/** Similarity used by diversity re-ranking: mean of CF-factor cosine and content cosine. */
export function streamerSimilarity(model: TenantModel, a: number, b: number): number {
  const f = model.als.factors;
  return 0.5 * cosine(model.als.itemFactors, model.als.itemFactors, a * f, b * f, f) + 0.5 * cosine(model.features[a].content, model.features[b].content);
}

function topSharedCategories(interest: Float64Array | null, content: Float64Array): string[] {
  if (!interest) return [];
  return CATEGORIES.map((c, i) => ({ c, i, v: interest[i] * content[i] }))
    .filter((x) => x.v > 0)
    .sort((a, b) => b.v - a.v)
    .slice(0, 2)
    .map((x) => `${x.c} (you ${round(interest[x.i], 2)}, streamer ${round(content[x.i], 2)})`);
}

function mostSimilarWatched(model: TenantModel, history: HistoryEntry[], s: number): { name: string; sim: number } | null {
  let best: { name: string; sim: number } | null = null;
  for (const h of history) {
    for (let p = model.knn.ptr[h.item]; p < model.knn.ptr[h.item + 1]; p++) {
      if (model.knn.idx[p] !== s) continue;
      const sim = model.knn.sim[p];
      if (!best || sim > best.sim) best = { name: model.records[h.item].name ?? model.streamerIds[h.item], sim };
    }
  }
  return best;
}

export interface RecommendOptions {
  limit: number;
  diversify: boolean;
  mmrLambda: number;
}

/** Ranks streamers for a profile by the hybrid score, optionally re-ranked for diversity (MMR), with reasons. */
export function recommendForProfile(model: TenantModel, p: TargetProfile, opts: RecommendOptions): StreamerRecommendation[] {
  const n = model.streamerIds.length;
  if (!n) return [];
  const comps = componentScores(model, p);
  const w = model.weights;
  const score = blend(comps, w, n);
  let picked = topK(score, opts.diversify ? opts.limit * 3 : opts.limit);
  if (opts.diversify) {
    const rel = picked.map((i) => score[i]);
    picked = mmrRerank(rel, (a, b) => streamerSimilarity(model, picked[a], picked[b]), opts.limit, opts.mmrLambda).map((j) => picked[j]);
  }
  const cold = !p.history.length;
  const lastSeen = new Map(p.history.map((h) => [h.item, h]));
  return picked.map((s) => {
    const components = {} as Record<HybridComponent, ComponentScore>;
    for (const c of HYBRID_COMPONENTS) components[c] = { value: round(comps[c][s]), weight: w[c], contribution: round(w[c] * comps[c][s]) };
    const reasons: string[] = [];
    const shared = topSharedCategories(p.interest, model.features[s].content);
    if (shared.length) reasons.push(`shares interests: ${shared.join(', ')}; content cosine ${round(comps.contentCos[s], 3)}`);
    if (comps.audienceCos[s] >= 0.5) reasons.push(`its audience has interests like yours (audience cosine ${round(comps.audienceCos[s], 3)})`);
    const h = lastSeen.get(s);
    if (h) reasons.push(`watched before: interaction strength ${round(h.weight, 2)}, last on ${new Date(h.lastAt).toISOString().slice(0, 10)} (repeat ${round(comps.repeat[s], 2)})`);
    if (comps.cf[s] >= 0.3) reasons.push(`viewers with similar watching also watch them (CF ${round(comps.cf[s], 2)} of the best, contributes ${round(w.cf * comps.cf[s], 3)})`);
    const sim = comps.itemKnn[s] > 0 ? mostSimilarWatched(model, p.history, s) : null;
    if (sim) reasons.push(`similar audience to ${sim.name}, whom you watch (co-audience cosine ${round(sim.sim, 3)})`);
    const cluster = model.clustering.clusters[model.clustering.labels[s]];
    if (cluster) reasons.push(`cluster ${cluster.cluster}: ${cluster.label}`);
    if (cold) reasons.push('cold start: no viewing history, ranked by content match and popularity');
    return {
      streamerId: model.streamerIds[s],
      name: model.records[s].name,
      score: round(score[s]),
      components,
      cluster: { id: cluster?.cluster ?? 0, label: cluster?.label ?? '' },
      reasons,
    };
  });
}

export interface CourseTarget {
  /** Category distribution of the course: its category one-hot blended with its audience's mean interest. */
  vector: Float64Array;
  /** Users who viewed or bought it. */
  audience: string[];
}

export interface CourseRecommendation {
  streamerId: string;
  name: string | null;
  expectedEnrolments: number;
  predictedConversion: number;
  reach: number;
  affinity: number;
  audienceOverlap: { users: number; share: number };
  components: { contentCos: number; audienceCos: number; audienceCf: number; conversionRateSmoothed: number };
  cluster: { id: number; label: string };
  reasons: string[];
}

/**
 * Streamers for a course, ranked by expected enrolments = predicted conversion × reach, where
 * predicted conversion = smoothed conversion rate × affinity and
 * affinity = 0.7·(0.6·cos(course, content) + 0.4·cos(course, audience)) + 0.3·(course audience's mean CF score, scaled by max).
 */
export function recommendForCourse(model: TenantModel, course: CourseTarget, limit: number): CourseRecommendation[] {
  const n = model.streamerIds.length;
  if (!n) return [];
  const { content, contentCos, audienceCos } = contentScores(model, course.vector);
  const seg = segmentProfile(model, course.audience);
  const cf = seg.profile.factors ? (model.options.cfModel === 'bpr' ? scaleMinMax : scaleByMax)(scoreAllItems(model.als, seg.profile.factors)) : new Float64Array(n);
  const overlap = new Float64Array(n);
  for (const id of course.audience) {
    const u = model.userIndex.get(id);
    if (u !== undefined) for (const h of model.history[u]) overlap[h.item]++;
  }
  const expected = new Float64Array(n);
  const affinity = new Float64Array(n);
  const conv = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    affinity[s] = 0.7 * content[s] + 0.3 * cf[s];
    conv[s] = model.features[s].conversionRateSmoothed * affinity[s];
    expected[s] = conv[s] * model.features[s].reach;
  }
  return topK(expected, limit).map((s) => {
    const f = model.features[s];
    const cluster = model.clustering.clusters[model.clustering.labels[s]];
    const share = course.audience.length ? overlap[s] / course.audience.length : 0;
    const reasons = [
      `expected enrolments ${round(expected[s], 3)} = predicted conversion ${round(conv[s], 5)} × reach ${round(f.reach, 1)} viewers per session`,
      `predicted conversion = smoothed conversion ${round(f.conversionRateSmoothed, 5)} (${model.records[s].orders} orders / ${model.records[s].enters} room entries, shrunk to the tenant rate ${round(model.tenantConversion, 5)}) × affinity ${round(affinity[s], 3)}`,
      `content match: course vs streamer content cosine ${round(contentCos[s], 3)}, vs audience cosine ${round(audienceCos[s], 3)}`,
    ];
    if (cf[s] > 0) reasons.push(`the course's audience tends to watch them (CF ${round(cf[s], 2)} of the best)`);
    if (overlap[s]) reasons.push(`${overlap[s]} of the course's ${course.audience.length} interested users already watch them (${round(share * 100, 1)}%)`);
    if (cluster) reasons.push(`cluster ${cluster.cluster}: ${cluster.label}`);
    return {
      streamerId: model.streamerIds[s],
      name: model.records[s].name,
      expectedEnrolments: round(expected[s]),
      predictedConversion: round(conv[s], 6),
      reach: round(f.reach, 2),
      affinity: round(affinity[s]),
      audienceOverlap: { users: overlap[s], share: round(share) },
      components: { contentCos: round(contentCos[s]), audienceCos: round(audienceCos[s]), audienceCf: round(cf[s]), conversionRateSmoothed: round(f.conversionRateSmoothed, 6) },
      cluster: { id: cluster?.cluster ?? 0, label: cluster?.label ?? '' },
      reasons,
    };
  });
}

export interface SimilarStreamer {
  streamerId: string;
  name: string | null;
  score: number;
  components: { cf: number; coAudience: number; content: number };
  sameCluster: boolean;
  reasons: string[];
}

/** Streamer-to-streamer similarity: 0.4·cos(CF item factors) + 0.3·co-audience cosine (item-kNN) + 0.3·content cosine. */
export function similarStreamers(model: TenantModel, streamerId: string, limit: number): SimilarStreamer[] | null {
  const s = model.streamerIndex.get(streamerId);
  if (s === undefined) return null;
  const n = model.streamerIds.length;
  const f = model.als.factors;
  const co = new Float64Array(n);
  for (let p = model.knn.ptr[s]; p < model.knn.ptr[s + 1]; p++) co[model.knn.idx[p]] = model.knn.sim[p];
  const cfc = new Float64Array(n);
  const cc = new Float64Array(n);
  const score = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    cfc[t] = Math.max(0, cosine(model.als.itemFactors, model.als.itemFactors, s * f, t * f, f));
    cc[t] = cosine(model.features[s].content, model.features[t].content);
    score[t] = 0.4 * cfc[t] + 0.3 * co[t] + 0.3 * cc[t];
  }
  return topK(score, limit, (t) => t === s).map((t) => {
    const same = model.clustering.labels[t] === model.clustering.labels[s];
    const reasons = [`score ${round(score[t], 3)} = 0.4 × CF cosine ${round(cfc[t], 3)} + 0.3 × co-audience cosine ${round(co[t], 3)} + 0.3 × content cosine ${round(cc[t], 3)}`];
    if (co[t] > 0) reasons.push('shares viewers with this streamer');
    if (same) reasons.push(`same cluster (${model.clustering.clusters[model.clustering.labels[s]]?.label ?? ''})`);
    return {
      streamerId: model.streamerIds[t],
      name: model.records[t].name,
      score: round(score[t]),
      components: { cf: round(cfc[t]), coAudience: round(co[t]), content: round(cc[t]) },
      sameCluster: same,
      reasons,
    };
  });
}
