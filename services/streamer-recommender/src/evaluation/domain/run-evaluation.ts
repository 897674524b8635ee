/**
 * One offline evaluation run, shared by the eval CLI and the catalogue-scale bench: decide exclude-seen,
 * split, carve a validation split out of the training part under the same protocol, fit the hybrid there,
 * train on the full training part and score every model on the test part.
 */
import {
  BASELINES,
  ComponentModels,
  ComponentOptions,
  componentsOf,
  EvalWeights,
  EXCLUDE_SEEN_BELOW_REPEAT_RATE,
  evaluateModels,
  evaluationUsers,
  fitHybridWeights,
  HybridFit,
  ItemContent,
  Metrics,
  repeatRate,
  splitEvents,
  SplitProtocol,
  UserEvents,
} from './offline-evaluation';

export interface EvaluationParams {
  split: SplitProtocol;
  /** Held-out share (ignored by leave-one-out). */
  holdout: number;
  /** true/false, or undefined = decided from the data's repeat rate. */
  excludeSeen?: boolean;
  k: number;
  models: string[];
  seed: number;
  /** Evaluate on a seeded sample of at most this many test users (0 = all). */
  evalUsers: number;
  /** Users the hybrid's weights are fitted on (seeded sample of the validation users). */
  fitUsers: number;
  component: Omit<ComponentOptions, 'components' | 'progress' | 'itemContent' | 'seed'>;
  itemContent?: ItemContent;
}

export interface EvaluationReport {
  protocol: {
    split: SplitProtocol;
    holdout: number | null;
    description: string;
    seed: number;
    k: number;
    excludeSeen: boolean;
    excludeSeenReason: string;
    validation: string;
  };
  repeatRate: number;
  dataset: { users: number; items: number; interactions: number; train: number; heldOut: number; heldOutNew: number; heldOutRepeat: number; evaluatedUsers: number };
  hybrid: HybridFit | null;
  weights: Record<string, EvalWeights>;
  results: Record<string, Metrics>;
  timingsMs: { validationTrain: number; fit: number; train: number; evaluate: number; trainPerComponent: Partial<Record<string, number>> };
}

export function describeSplit(split: SplitProtocol, holdout: number): string {
  if (split === 'time') return `per user, the last ⌈${holdout}·n⌉ interactions by time held out (≥ 1 for users with ≥ 2; ties keep file order)`;
  if (split === 'leave-one-out') return 'per user, the last interaction by time held out (users with ≥ 2)';
  return `per user, a seeded random ${Math.round((1 - holdout) * 100)}/${Math.round(holdout * 100)} split: n − round(${(1 - holdout).toFixed(2)}·n) interactions held out (≥ 1 and ≥ 1 kept, users with ≥ 2)`;
}

export function runEvaluation(events: UserEvents[], items: number, p: EvaluationParams, log: (msg: string) => void = () => undefined): EvaluationReport {
  const rate = repeatRate(events);
  const excludeSeen = p.excludeSeen ?? rate < EXCLUDE_SEEN_BELOW_REPEAT_RATE;
  const excludeSeenReason =
    p.excludeSeen !== undefined
      ? `set by flag (${p.excludeSeen ? '--exclude-seen' : '--include-seen'})`
      : `default from the data: repeat rate ${rate.toFixed(4)} (1 − distinct user–item pairs / interactions) is ${rate < EXCLUDE_SEEN_BELOW_REPEAT_RATE ? 'below' : 'at or above'} ${EXCLUDE_SEEN_BELOW_REPEAT_RATE}, so seen items are ${excludeSeen ? 'excluded (no repeat consumption to predict)' : 'kept as candidates (repeat consumption is part of what is predicted)'}`;
  log(`exclude-seen: ${excludeSeen} — ${excludeSeenReason}`);
  if (excludeSeen && p.models.includes('repeat-by-frequency')) {
    p = { ...p, models: p.models.filter((m) => m !== 'repeat-by-frequency') };
    log('repeat-by-frequency left out: with seen items excluded it ranks like popularity');
  }
  const holdout = p.split === 'leave-one-out' ? 0.5 : p.holdout;
  const split = splitEvents(events, p.split, holdout, p.seed, excludeSeen);
  log(`split (${p.split}): ${split.trainInteractions} train / ${split.testInteractions} held out (${split.heldOutNew} new to the user, ${split.heldOutRepeat} repeats)`);
  const testUsers = evaluationUsers(split.test, p.evalUsers, p.seed + 1);
  if (!testUsers.length) throw new Error('no user has a relevant held-out item under this protocol (users need ≥ 2 interactions; with exclude-seen, a held-out item they have not had in training)');

  const components = componentsOf(p.models);
  const copts: ComponentOptions = { ...p.component, components, seed: p.seed, progress: log, itemContent: p.itemContent };
  const weights: Record<string, EvalWeights> = {};
  for (const m of p.models) if (m !== 'hybrid') weights[m] = BASELINES[m];

  let fit: HybridFit | null = null;
  let validationTrain = 0;
  let fitMs = 0;
  if (p.models.includes('hybrid')) {
    log('fitting hybrid weights on a validation split carved from the training part under the same protocol');
    const t0 = Date.now();
    const val = splitEvents(split.trainEvents, p.split, holdout, p.seed + 2, excludeSeen);
    const valModels = new ComponentModels(val.train, items, copts);
    validationTrain = Date.now() - t0;
    const t1 = Date.now();
    fit = fitHybridWeights(valModels, val, { k: p.k, excludeSeen, maxUsers: p.fitUsers, seed: p.seed });
    fitMs = Date.now() - t1;
    log(`hybrid weights ${JSON.stringify(fit.weights)}: validation NDCG@${p.k} ${fit.ndcg.toFixed(4)} vs components ${JSON.stringify(Object.fromEntries(Object.entries(fit.baselineNdcg).map(([k, v]) => [k, Number(v.toFixed(4))])))} (${fit.tried} candidates, grid step ${fit.gridStep}, ${fit.users} users)`);
    weights.hybrid = fit.weights;
  }

  log('training on the full training part');
  const t2 = Date.now();
  const models = new ComponentModels(split.train, items, copts);
  const train = Date.now() - t2;
  const t3 = Date.now();
  const results = evaluateModels(models, split, weights, { k: p.k, excludeSeen, users: testUsers, progress: log });
  const evaluate = Date.now() - t3;
  for (const [name, r] of Object.entries(results))
    log(
      `${name}: P@${p.k} ${r.precision.toFixed(4)} Recall ${r.recall.toFixed(4)} NDCG ${r.ndcg.toFixed(4)} MAP ${r.map.toFixed(4)} MRR ${r.mrr.toFixed(4)} HR ${r.hitRate.toFixed(4)} coverage ${r.coverage.toFixed(4)} novelty ${r.novelty.toFixed(2)} | new items NDCG ${r.newItems.ndcg.toFixed(4)} (${r.newItems.users} users) | repeats NDCG ${r.repeatItems.ndcg.toFixed(4)} (${r.repeatItems.users} users)`,
    );
  return {
    protocol: {
      split: p.split,
      holdout: p.split === 'leave-one-out' ? null : holdout,
      description: describeSplit(p.split, holdout),
      seed: p.seed,
      k: p.k,
      excludeSeen,
      excludeSeenReason,
      validation: 'the hybrid is fitted on a validation split carved out of each user’s training interactions under the same protocol, share and exclude-seen setting (seed + 2); candidates: simplex grid + every single-model weight vector',
    },
    repeatRate: rate,
    dataset: {
      users: events.length,
      items,
      interactions: split.trainInteractions + split.testInteractions,
      train: split.trainInteractions,
      heldOut: split.testInteractions,
      heldOutNew: split.heldOutNew,
      heldOutRepeat: split.heldOutRepeat,
      evaluatedUsers: testUsers.length,
    },
    hybrid: fit,
    weights,
    results,
    timingsMs: { validationTrain, fit: fitMs, train, evaluate, trainPerComponent: models.trainMs },
  };
}
