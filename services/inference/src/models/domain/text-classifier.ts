import { argmax, classificationReport, ClassificationReport } from './classification-metrics';
import { stratifiedSplit } from './random';
import { DEFAULT_TRAIN_OPTIONS, predictProba, SoftmaxModel, TrainOptions, trainSoftmax } from './softmax-regression';
import { DEFAULT_FEATURIZER, featurize, FeaturizerConfig, validateFeaturizerConfig } from './text-features';

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
  progress?: (message: string) => void;
}

export const DEFAULT_TEXT_CLASSIFIER_OPTIONS: TextClassifierTrainOptions = {
  featurizer: DEFAULT_FEATURIZER,
  train: DEFAULT_TRAIN_OPTIONS,
  testFraction: 0.2,
  splitSeed: 7,
};

/** A trained text classifier: hashed n-gram featurizer + softmax regression, and its held-out report. */
export interface TrainedTextClassifier {
  labels: string[];
  featurizer: FeaturizerConfig;
  model: SoftmaxModel;
  report: ClassificationReport;
  trainRows: number;
  testRows: number;
  /** How the model was trained, for model.json and the registry. */
  training: { algorithm: string; epochs: number; batchSize: number; learningRate: number; l2: number; seed: number; splitSeed: number; testFraction: number };
}

/**
 * Trains on a stratified (1 - testFraction) share and reports accuracy, macro-F1 and the
 * confusion matrix on the held-out rest. Labels are sorted so that the class order is stable.
 */
export function trainTextClassifier(rows: readonly LabelledText[], opts: TextClassifierTrainOptions = DEFAULT_TEXT_CLASSIFIER_OPTIONS): TrainedTextClassifier {
  const featurizer = validateFeaturizerConfig(opts.featurizer);
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  if (labels.length < 2) throw new Error(`need at least 2 distinct labels, got ${labels.length}`);
  const y = rows.map((r) => labels.indexOf(r.label));
  const { train, test } = opts.testFraction > 0 ? stratifiedSplit(y, opts.testFraction, opts.splitSeed) : { train: rows.map((_, i) => i), test: [] as number[] };
  opts.progress?.(`featurizing ${rows.length} rows (dim ${featurizer.dim}, char ${featurizer.minN}-${featurizer.maxN} grams)`);
  const xs = rows.map((r) => featurize(r.text, featurizer));
  opts.progress?.(`training softmax regression on ${train.length} rows, ${labels.length} classes, holding out ${test.length}`);
  const model = trainSoftmax(
    train.map((i) => xs[i]),
    train.map((i) => y[i]),
    labels.length,
    featurizer.dim,
    { ...opts.train, onEpoch: (e, loss) => opts.progress?.(`epoch ${e}/${opts.train.epochs} mean loss ${loss.toFixed(4)}`) },
  );
  const predicted = test.map((i) => argmax(predictProba(model, xs[i])));
  const report = classificationReport(
    test.map((i) => y[i]),
    predicted,
    labels,
  );
  const { epochs, batchSize, learningRate, l2, seed } = opts.train;
  return {
    labels,
    featurizer,
    model,
    report,
    trainRows: train.length,
    testRows: test.length,
    training: { algorithm: 'softmax-regression/adam', epochs, batchSize, learningRate, l2, seed, splitSeed: opts.splitSeed, testFraction: opts.testFraction },
  };
}

/** Forward pass of the training code on raw texts (reference for the ONNX parity test). */
export function classifyWithTrainingCode(clf: Pick<TrainedTextClassifier, 'model' | 'featurizer'>, texts: readonly string[]): Float64Array[] {
  return texts.map((t) => predictProba(clf.model, featurize(t, clf.featurizer)));
}

/** Accuracy, macro-F1 and confusion of a trained classifier on other labelled rows (labels it does not know count as errors). */
export function evaluateTextClassifier(clf: Pick<TrainedTextClassifier, 'model' | 'featurizer' | 'labels'>, rows: readonly LabelledText[]): ClassificationReport {
  const known = rows.filter((r) => clf.labels.includes(r.label));
  const truth = known.map((r) => clf.labels.indexOf(r.label));
  const predicted = known.map((r) => argmax(predictProba(clf.model, featurize(r.text, clf.featurizer))));
  return classificationReport(truth, predicted, clf.labels);
}
