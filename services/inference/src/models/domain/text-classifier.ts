import { Calibration, fitCalibration, foldCalibration, ReliabilityTable, reliabilityTable } from './calibration';
import {
  argmax,
  ClassificationReport,
  classificationReport,
  DEFAULT_TRAIN_OPTIONS,
  predictLogits,
  predictProba,
  SoftmaxModel,
  stratifiedKFold,
  stratifiedSplit,
  TrainOptions,
  trainSoftmax,
} from '@livepromo/ml';
import { foldFeatureWeights, nbLogCountRatios, scaleFeatures } from './nb-weights';
import { DEFAULT_FEATURIZER, featurize, FeaturizerConfig, SparseVector, validateFeaturizerConfig } from './text-features';

export interface LabelledText {
  text: string;
  label: string;
}

export interface TextClassifierTrainOptions {
  featurizer: FeaturizerConfig;
  train: TrainOptions;
  /** Share of each label held out for evaluation (stratified, seeded). */
  testFraction: number;
  /** Seed of the split (the optimiser has its own in `train.seed`). */
  splitSeed: number;
  /** NB log-count-ratio feature weights with smoothing α (nb-weights.ts), from training rows only; absent = plain features. */
  nb?: { alpha: number };
  /** Candidate L2 penalties, chosen by accuracy (then log loss) on an inner validation split of the training rows; absent = `train.l2`. */
  l2Grid?: number[];
  /** Platt scaling (2 classes) or temperature scaling (more), fitted on the inner validation split and folded into the weights. */
  calibrate?: boolean;
  /** Share of the training rows held out as the inner validation split (stratified), default 0.15. */
  validationFraction?: number;
  /** With an inner validation split: also choose the number of epochs in 1..train.epochs there (early stopping). */
  selectEpochs?: boolean;
  progress?: (message: string) => void;
}

export const DEFAULT_TEXT_CLASSIFIER_OPTIONS: TextClassifierTrainOptions = {
  featurizer: DEFAULT_FEATURIZER,
  train: DEFAULT_TRAIN_OPTIONS,
  testFraction: 0.2,
  splitSeed: 7,
};

/** Accuracy and log loss of one L2 candidate on the inner validation split. */
export interface L2Candidate {
  l2: number;
  /** epochs trained (the best epoch on the validation split when epochs are selected) */
  epochs: number;
  validationAccuracy: number;
  validationLogLoss: number;
}

/** A trained text classifier: hashed n-gram featurizer + softmax regression, and its held-out report. */
export interface TrainedTextClassifier {
  labels: string[];
  featurizer: FeaturizerConfig;
  /** The served model: NB weights and calibration already folded into W and b. */
  model: SoftmaxModel;
  report: ClassificationReport;
  /** Reliability of the served probabilities on the held-out rows (absent without held-out rows). */
  reliability?: ReliabilityTable;
  calibration: Calibration;
  /** Every L2 candidate with its inner-validation figures (empty when no grid was given). */
  selection: L2Candidate[];
  trainRows: number;
  testRows: number;
  /** How the model was trained, for model.json and the registry. */
  training: Record<string, string | number>;
}

interface FittedModel {
  model: SoftmaxModel;
  l2: number;
  epochs: number;
  selection: L2Candidate[];
  calibration: Calibration;
}

function logLoss(probs: readonly Float64Array[], truth: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) s -= Math.log(Math.max(probs[i][truth[i]], 1e-12));
  return probs.length ? s / probs.length : 0;
}

function fitSoftmax(
  xs: readonly SparseVector[],
  y: readonly number[],
  rows: readonly number[],
  classes: number,
  dim: number,
  opts: TextClassifierTrainOptions,
  hyper: { l2: number; epochs: number },
  onEpoch?: (e: number, loss: number) => void,
  onEpochModel?: (e: number, model: SoftmaxModel) => void,
): SoftmaxModel {
  const sub = rows.map((i) => xs[i]);
  const ys = rows.map((i) => y[i]);
  const r = opts.nb ? nbLogCountRatios(sub, ys, classes, dim, opts.nb.alpha) : undefined;
  const fold = (m: SoftmaxModel) => (r ? foldFeatureWeights(m, r) : m);
  const model = trainSoftmax(r ? scaleFeatures(sub, r) : sub, ys, classes, dim, {
    ...opts.train,
    ...hyper,
    onEpoch,
    onEpochModel: onEpochModel ? (e, snapshot) => onEpochModel(e, fold(snapshot())) : undefined,
  });
  return fold(model);
}

/**
 * Fits the model on `rows` only: with an L2 grid or calibration, an inner stratified validation split
 * of `rows` picks λ (accuracy, then log loss) and fits the calibration on the model trained without it;
 * the served model is then retrained on all of `rows` with the chosen λ and gets that calibration.
 */
function fitOnRows(
  xs: readonly SparseVector[],
  y: readonly number[],
  rows: readonly number[],
  classes: number,
  dim: number,
  opts: TextClassifierTrainOptions,
  seed: number,
): FittedModel {
  const grid = opts.l2Grid?.length ? opts.l2Grid : [opts.train.l2];
  let l2 = grid[0];
  let epochs = opts.train.epochs;
  const selection: L2Candidate[] = [];
  let calibration: Calibration = { method: 'none' };
  if (grid.length > 1 || opts.calibrate) {
    const inner = stratifiedSplit(
      rows.map((i) => y[i]),
      opts.validationFraction ?? 0.15,
      seed,
    );
    const fit = inner.train.map((k) => rows[k]);
    const val = inner.test.map((k) => rows[k]);
    if (val.length === 0) throw new Error('too few rows for an inner validation split');
    let best: { cand: L2Candidate; model: SoftmaxModel } | undefined;
    const valTruth = val.map((i) => y[i]);
    const score = (m: SoftmaxModel, l2c: number, epochs: number): { cand: L2Candidate; model: SoftmaxModel } => {
      const probs = val.map((i) => predictProba(m, xs[i]));
      const acc = probs.filter((p, k) => argmax(p) === valTruth[k]).length / val.length;
      return { cand: { l2: l2c, epochs, validationAccuracy: acc, validationLogLoss: logLoss(probs, valTruth) }, model: m };
    };
    const better = (a: L2Candidate, b: L2Candidate | undefined) =>
      !b ||
      a.validationAccuracy > b.validationAccuracy ||
      (a.validationAccuracy === b.validationAccuracy && a.validationLogLoss < b.validationLogLoss);
    for (const cand of grid) {
      let bestHere: { cand: L2Candidate; model: SoftmaxModel } | undefined;
      const m = fitSoftmax(
        xs,
        y,
        fit,
        classes,
        dim,
        opts,
        { l2: cand, epochs: opts.train.epochs },
        undefined,
        opts.selectEpochs
          ? (e, snap) => {
              const s = score(snap, cand, e);
              if (better(s.cand, bestHere?.cand)) bestHere = s;
            }
          : undefined,
      );
      if (!bestHere) bestHere = score(m, cand, opts.train.epochs);
      const c = bestHere.cand;
      selection.push(c);
      opts.progress?.(
        `  l2 ${cand}${opts.selectEpochs ? `, best epoch ${c.epochs}` : ''}: validation accuracy ${c.validationAccuracy.toFixed(4)}, log loss ${c.validationLogLoss.toFixed(4)} (${fit.length} fit / ${val.length} validation rows)`,
      );
      if (better(c, best?.cand)) best = bestHere;
    }
    l2 = best!.cand.l2;
    epochs = best!.cand.epochs;
    if (opts.calibrate) {
      calibration = fitCalibration(
        val.map((i) => predictLogits(best!.model, xs[i])),
        val.map((i) => y[i]),
        classes,
      );
    }
  }
  const model = fitSoftmax(xs, y, rows, classes, dim, opts, { l2, epochs }, (e, loss) =>
    opts.progress?.(`epoch ${e}/${epochs} mean loss ${loss.toFixed(4)}`),
  );
  return { model: foldCalibration(model, calibration), l2, epochs, selection, calibration };
}

function describeCalibration(c: Calibration): string {
  if (c.method === 'platt') return `platt a=${c.a.toFixed(4)} c=${c.c.toFixed(4)}`;
  if (c.method === 'temperature') return `temperature T=${c.t.toFixed(4)}`;
  return 'none';
}

/** Labels sorted (stable class order) and each row's class index; refuses a single class. */
export function labelIndex(rows: readonly LabelledText[]): { labels: string[]; y: number[] } {
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  if (rows.length === 0) throw new Error('no labelled rows');
  if (labels.length < 2) throw new Error(`need at least 2 distinct labels, got only "${labels[0]}" in ${rows.length} rows`);
  const pos = new Map(labels.map((l, i) => [l, i]));
  return { labels, y: rows.map((r) => pos.get(r.label)!) };
}

/** Features of every row (computed once; reused by the held-out split and k-fold). */
export function featurizeRows(rows: readonly LabelledText[], featurizer: FeaturizerConfig): SparseVector[] {
  return rows.map((r) => featurize(r.text, featurizer));
}

/**
 * Trains on a stratified (1 - testFraction) share and reports accuracy, macro-F1, the confusion
 * matrix and a reliability table on the held-out rest. Labels are sorted so that the class order is stable.
 */
export function trainTextClassifier(
  rows: readonly LabelledText[],
  opts: TextClassifierTrainOptions = DEFAULT_TEXT_CLASSIFIER_OPTIONS,
  features?: SparseVector[],
): TrainedTextClassifier {
  const featurizer = validateFeaturizerConfig(opts.featurizer);
  const { labels, y } = labelIndex(rows);
  const { train, test } =
    opts.testFraction > 0 ? stratifiedSplit(y, opts.testFraction, opts.splitSeed) : { train: rows.map((_, i) => i), test: [] as number[] };
  opts.progress?.(
    `featurizing ${rows.length} rows (dim ${featurizer.dim}, char ${featurizer.minN}-${featurizer.maxN} grams${featurizer.words ? `, jieba word ${featurizer.words.minN}-${featurizer.words.maxN} grams` : ''})`,
  );
  const xs = features ?? featurizeRows(rows, featurizer);
  opts.progress?.(`training softmax regression on ${train.length} rows, ${labels.length} classes, holding out ${test.length}`);
  const fitted = fitOnRows(xs, y, train, labels.length, featurizer.dim, opts, opts.splitSeed + 1);
  const probs = test.map((i) => predictProba(fitted.model, xs[i]));
  const truth = test.map((i) => y[i]);
  const report = classificationReport(
    truth,
    probs.map((p) => argmax(p)),
    labels,
  );
  const { batchSize, learningRate, seed } = opts.train;
  const training: Record<string, string | number> = {
    algorithm: 'softmax-regression/adam',
    epochs: fitted.epochs,
    batchSize,
    learningRate,
    l2: fitted.l2,
    seed,
    splitSeed: opts.splitSeed,
    testFraction: opts.testFraction,
  };
  if (opts.nb) training.nbAlpha = opts.nb.alpha;
  if (opts.l2Grid?.length) training.l2Grid = opts.l2Grid.join(',');
  if (opts.l2Grid?.length || opts.calibrate) training.validationFraction = opts.validationFraction ?? 0.15;
  if (opts.selectEpochs && (opts.l2Grid?.length || opts.calibrate)) training.maxEpochs = opts.train.epochs;
  training.calibration = describeCalibration(fitted.calibration);
  return {
    labels,
    featurizer,
    model: fitted.model,
    report,
    reliability: test.length ? reliabilityTable(probs, truth, labels) : undefined,
    calibration: fitted.calibration,
    selection: fitted.selection,
    trainRows: train.length,
    testRows: test.length,
    training,
  };
}

/** Mean and sample standard deviation. */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : 0;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd };
}

export interface CrossValidationReport {
  k: number;
  seed: number;
  folds: { n: number; accuracy: number; macroF1: number; l2: number; epochs: number }[];
  accuracy: { mean: number; sd: number };
  macroF1: { mean: number; sd: number };
  /** Summed over the folds (every row predicted once, by the model that did not train on it). */
  confusion: number[][];
  /** Reliability of the pooled out-of-fold probabilities. */
  reliability: ReliabilityTable;
}

/**
 * Stratified k-fold cross-validation of the whole recipe: for each fold the model (NB weights, λ
 * selection on an inner split, calibration) is fitted on the other k−1 folds only and scored on the fold.
 */
export function crossValidateTextClassifier(
  rows: readonly LabelledText[],
  k: number,
  opts: TextClassifierTrainOptions,
  seed: number,
  features?: SparseVector[],
): CrossValidationReport {
  const featurizer = validateFeaturizerConfig(opts.featurizer);
  const { labels, y } = labelIndex(rows);
  const xs = features ?? featurizeRows(rows, featurizer);
  const folds = stratifiedKFold(y, k, seed);
  const confusion = labels.map(() => new Array<number>(labels.length).fill(0));
  const pooledProbs: Float64Array[] = [];
  const pooledTruth: number[] = [];
  const out: CrossValidationReport['folds'] = [];
  folds.forEach((testRows, f) => {
    const inTest = new Uint8Array(rows.length);
    for (const i of testRows) inTest[i] = 1;
    const trainRows = y.map((_, i) => i).filter((i) => !inTest[i]);
    const fitted = fitOnRows(xs, y, trainRows, labels.length, featurizer.dim, { ...opts, progress: undefined }, seed + 100 + f);
    const probs = testRows.map((i) => predictProba(fitted.model, xs[i]));
    const truth = testRows.map((i) => y[i]);
    const rep = classificationReport(
      truth,
      probs.map((p) => argmax(p)),
      labels,
    );
    rep.confusion.forEach((row, t) => row.forEach((c, p) => (confusion[t][p] += c)));
    pooledProbs.push(...probs);
    pooledTruth.push(...truth);
    out.push({ n: rep.n, accuracy: rep.accuracy, macroF1: rep.macroF1, l2: fitted.l2, epochs: fitted.epochs });
    opts.progress?.(
      `fold ${f + 1}/${k}: n=${rep.n} accuracy ${rep.accuracy.toFixed(4)} macro-F1 ${rep.macroF1.toFixed(4)} (l2 ${fitted.l2}, ${fitted.epochs} epochs)`,
    );
  });
  return {
    k,
    seed,
    folds: out,
    accuracy: meanSd(out.map((f) => f.accuracy)),
    macroF1: meanSd(out.map((f) => f.macroF1)),
    confusion,
    reliability: reliabilityTable(pooledProbs, pooledTruth, labels),
  };
}

/** Forward pass of the training code on raw texts (reference for the ONNX parity test). */
export function classifyWithTrainingCode(
  clf: Pick<TrainedTextClassifier, 'model' | 'featurizer'>,
  texts: readonly string[],
): Float64Array[] {
  return texts.map((t) => predictProba(clf.model, featurize(t, clf.featurizer)));
}

/** Accuracy, macro-F1 and confusion of a trained classifier on other labelled rows (labels it does not know count as errors). */
export function evaluateTextClassifier(
  clf: Pick<TrainedTextClassifier, 'model' | 'featurizer' | 'labels'>,
  rows: readonly LabelledText[],
): ClassificationReport {
  const known = rows.filter((r) => clf.labels.includes(r.label));
  const truth = known.map((r) => clf.labels.indexOf(r.label));
  const predicted = known.map((r) => argmax(predictProba(clf.model, featurize(r.text, clf.featurizer))));
  return classificationReport(truth, predicted, clf.labels);
}
