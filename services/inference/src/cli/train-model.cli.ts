/**
 * livepromo train — trains a text classifier from a labelled CSV (hashed character 1-3-grams + jieba
 * word 1-2-grams, NB log-count-ratio feature weights, softmax regression with L2 and epochs chosen on an
 * inner validation split, Platt/temperature calibration), or from the built-in synthetic comment corpus,
 * reports held-out accuracy, macro-F1, the confusion matrix, a reliability table and stratified k-fold
 * mean ± sd, and writes model.onnx + model.json into <out>/<name>/<n>/, which the inference service
 * imports from MODEL_DIR at boot.
 *
 *   npm run train:model -- --data reviews.csv --label-col label --out var/models \
 *     --name comment-sentiment --task sentiment --label-map 1=positive,0=negative
 *   npm run train:model -- --synthetic intent --out var/models
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { DataError, runCli, UsageError } from '@livepromo/io';
import { ClassificationReport, stratifiedSample } from '@livepromo/ml';
import { ReliabilityTable } from '../models/domain/calibration';
import { labelledRowsFromCsv, TEXT_COLUMN_CANDIDATES } from '../models/domain/csv';
import { CommentTask, SYNTHETIC_PROVENANCE, trainDefaultCommentModel } from '../models/domain/default-comment-models';
import { MODEL_TASKS, ModelTask, TextClassifierManifest } from '../models/domain/model-manifest';
import {
  CrossValidationReport,
  crossValidateTextClassifier,
  featurizeRows,
  labelIndex,
  TextClassifierTrainOptions,
  TrainedTextClassifier,
  trainTextClassifier,
} from '../models/domain/text-classifier';
import { FeaturizerConfig } from '../models/domain/text-features';
import { jiebaVersion } from '../models/domain/word-segmenter';
import {
  ActivityEvent,
  DEFAULT_PROPENSITY_TRAIN,
  propensityRowsFromEvents,
  SYNTHETIC_PROPENSITY_PROVENANCE,
  syntheticPropensityEvents,
  trainPropensity,
} from '../models/domain/propensity';
import { writeModelFolder } from '../models/infrastructure/model-files';
import { packagePropensityModel, packageTextClassifier } from '../models/infrastructure/text-classifier-onnx';

const USAGE = `usage: livepromo train (--data FILE.csv | --synthetic intent|sentiment|propensity | --events EVENTS.jsonl) [options]

input (one of):
  --data FILE.csv           labelled CSV with a header line (RFC 4180: quoted fields may hold commas, quotes, line breaks)
  --synthetic KIND          built-in synthetic corpus: intent, sentiment or propensity
  --events FILE.jsonl       purchase propensity from canonical events, one JSON envelope a line
columns (--data):
  --text-col NAME           text column (default: the first of ${TEXT_COLUMN_CANDIDATES.join(', ')} in the header)
  --label-col NAME          label column (default label)
  --limit N                 use N rows: a stratified, seeded sample (--seed), not the first N
output:
  --out DIR                 model folder root (default $MODEL_DIR or var/models); writes <out>/<name>/<n>/model.onnx + model.json
  --name NAME               model name (default from the file name)
  --task TASK               ${MODEL_TASKS.join('|')} (default text-classification)
  --label-map 1=positive,0=negative   rename labels for the comment pipeline
features (--data):
  --dim N                   hash buckets (default 65536)
  --min-n N --max-n N       character n-gram range (default 1-3)
  --words MIN-MAX|none      jieba word n-gram range (default 1-2; none = characters only)
  --nb-alpha A              NB log-count-ratio feature weights with smoothing A (default 1; 0 = off)
training:
  --epochs N                most epochs (default 6 for --data); the number used, 1..N, is chosen on the inner
                            validation split with λ (early stopping) unless --no-select-epochs
  --no-select-epochs        train exactly --epochs epochs
  --batch-size N (32)  --lr X (0.02)  --seed N (42)
  --l2-grid A,B,...         L2 penalties tried, chosen on an inner validation split of the training rows
                            (default 1e-7,1e-6,1e-5); --l2 X trains with X only
  --validation-fraction F   inner validation share of the training rows (default 0.15)
  --no-calibrate            skip Platt/temperature scaling (fitted on the inner validation split)
evaluation:
  --test-fraction F         stratified held-out share (default 0.2)
  --folds K                 stratified K-fold cross-validation of the whole recipe, mean ± sd (default 5; 0 = skip)
  -h, --help                this text`;

function num(v: string | undefined, name: string, def: number, check: (n: number) => boolean = Number.isFinite): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!check(n)) throw new UsageError(`--${name}: invalid value "${v}"`);
  return n;
}

function parseLabelMap(v: string | undefined): Record<string, string> | undefined {
  if (!v) return undefined;
  const out: Record<string, string> = {};
  for (const pair of v.split(',')) {
    const [from, to] = pair.split('=');
    if (!from || !to) throw new UsageError(`--label-map: expected from=to pairs, got "${pair}"`);
    out[from.trim()] = to.trim();
  }
  return out;
}

function printReport(report: ClassificationReport, title: string): void {
  const w = Math.max(8, ...report.labels.map((l) => l.length));
  const lines = [
    `${title}: n=${report.n} accuracy=${report.accuracy.toFixed(4)} macroF1=${report.macroF1.toFixed(4)} majorityBaseline=${report.majorityBaseline.toFixed(4)}`,
    `confusion (rows = true, columns = predicted):`,
    `${''.padEnd(w)} ${report.labels.map((l) => l.padStart(w)).join(' ')}`,
    ...report.confusion.map((row, i) => `${report.labels[i].padEnd(w)} ${row.map((c) => String(c).padStart(w)).join(' ')}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printReliability(t: ReliabilityTable, title: string): void {
  const lines = [
    `${title}: ${t.predicted} in 10 bins, n=${t.n}, ECE=${t.ece.toFixed(4)}`,
    `bin          count  meanPredicted  observedRate`,
    ...t.bins
      .filter((b) => b.count > 0)
      .map(
        (b) =>
          `[${b.lo.toFixed(1)}, ${b.hi.toFixed(1)})${' '.repeat(3)}${String(b.count).padStart(5)}  ${b.meanPredicted.toFixed(4).padStart(13)}  ${b.observedRate.toFixed(4).padStart(12)}`,
      ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printCrossValidation(cv: CrossValidationReport, labels: string[]): void {
  const lines = [
    `${cv.k}-fold stratified cross-validation (seed ${cv.seed}): accuracy ${cv.accuracy.mean.toFixed(4)} ± ${cv.accuracy.sd.toFixed(4)}, macroF1 ${cv.macroF1.mean.toFixed(4)} ± ${cv.macroF1.sd.toFixed(4)} (mean ± sample sd over folds)`,
    `folds: ${cv.folds.map((f) => `${f.accuracy.toFixed(4)}/${f.macroF1.toFixed(4)} (n=${f.n}, l2 ${f.l2}, ${f.epochs} epochs)`).join('  ')}`,
    `out-of-fold confusion (rows = true, columns = predicted): ${labels.map((l, t) => `${l}: [${cv.confusion[t].join(', ')}]`).join('  ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  printReliability(cv.reliability, 'out-of-fold reliability');
}

/** "1-2" → [1, 2]; "none" → undefined. */
function parseRange(v: string, name: string): [number, number] | undefined {
  if (v === 'none') return undefined;
  const m = /^(\d)(?:-(\d))?$/.exec(v);
  if (!m) throw new UsageError(`--${name}: expected MIN-MAX (e.g. 1-2) or none, got "${v}"`);
  const lo = Number(m[1]);
  const hi = Number(m[2] ?? m[1]);
  if (lo < 1 || hi < lo || hi > 3) throw new UsageError(`--${name}: need 1 <= MIN <= MAX <= 3, got "${v}"`);
  return [lo, hi];
}

function parseGrid(v: string, name: string): number[] {
  const xs = v.split(',').map((x) => Number(x.trim()));
  if (xs.length === 0 || xs.some((x) => !Number.isFinite(x) || x < 0))
    throw new UsageError(`--${name}: expected comma-separated numbers >= 0, got "${v}"`);
  return xs;
}

function parseCliArgs() {
  try {
    return parseArgs({
      options: {
        data: { type: 'string' },
        'text-col': { type: 'string' },
        'label-col': { type: 'string', default: 'label' },
        synthetic: { type: 'string' },
        events: { type: 'string' },
        out: { type: 'string' },
        name: { type: 'string' },
        task: { type: 'string' },
        'label-map': { type: 'string' },
        dim: { type: 'string' },
        'min-n': { type: 'string' },
        'max-n': { type: 'string' },
        epochs: { type: 'string' },
        'batch-size': { type: 'string' },
        lr: { type: 'string' },
        l2: { type: 'string' },
        seed: { type: 'string' },
        'test-fraction': { type: 'string' },
        limit: { type: 'string' },
        words: { type: 'string' },
        'nb-alpha': { type: 'string' },
        'l2-grid': { type: 'string' },
        'validation-fraction': { type: 'string' },
        'no-calibrate': { type: 'boolean' },
        'no-select-epochs': { type: 'boolean' },
        folds: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

async function main(): Promise<'help' | void> {
  const { values } = parseCliArgs();
  if (values.help) return 'help';
  const out = values.out ?? process.env.MODEL_DIR ?? 'var/models';
  const progress = (m: string) => process.stderr.write(`[train] ${m}\n`);
  const started = Date.now();
  let clf: TrainedTextClassifier;
  let report: ClassificationReport;
  let name: string;
  let task: ModelTask;
  let provenance: string;
  let extraTraining: Record<string, string | number> = {};
  let cv: CrossValidationReport | undefined;
  let cvSeconds = 0;
  let kfold: TextClassifierManifest['metrics']['kfold'];

  if (values.events || values.synthetic === 'propensity') {
    let events: ActivityEvent[];
    let provenance = SYNTHETIC_PROPENSITY_PROVENANCE;
    if (values.events) {
      const lines = readFileSync(values.events, 'utf8')
        .split('\n')
        .filter((l) => l.trim());
      events = lines.map((l, i) => {
        try {
          return JSON.parse(l) as ActivityEvent;
        } catch {
          throw new DataError(`${values.events}:${i + 1}: not a JSON line`);
        }
      });
      provenance = `trained by livepromo train from ${basename(values.events)} (${events.length} events; activity before each user's first order.paid; stratified 80/20 split of users)`;
    } else events = syntheticPropensityEvents(3000, num(values.seed, 'seed', 5, Number.isInteger));
    const rows = propensityRowsFromEvents(events);
    progress(`${rows.length} users, ${rows.filter((r) => r.purchased).length} bought`);
    const m = trainPropensity(rows, {
      train: {
        epochs: num(values.epochs, 'epochs', DEFAULT_PROPENSITY_TRAIN.epochs, (n) => Number.isInteger(n) && n > 0),
        batchSize: num(values['batch-size'], 'batch-size', DEFAULT_PROPENSITY_TRAIN.batchSize, (n) => Number.isInteger(n) && n > 0),
        learningRate: num(values.lr, 'lr', DEFAULT_PROPENSITY_TRAIN.learningRate, (n) => n > 0),
        l2: num(values.l2, 'l2', DEFAULT_PROPENSITY_TRAIN.l2, (n) => n >= 0),
        seed: DEFAULT_PROPENSITY_TRAIN.seed,
      },
      testFraction: num(values['test-fraction'], 'test-fraction', 0.2, (n) => n > 0 && n < 1),
      splitSeed: 3,
    });
    const name = values.name ?? 'purchase-propensity';
    const { manifest, onnx } = packagePropensityModel(m, { name, provenance });
    const dir = await writeModelFolder(out, manifest, onnx);
    printReport(m.report, 'held-out users');
    process.stdout.write(
      `${JSON.stringify({ model: name, task: 'propensity', folder: dir, onnxBytes: onnx.length, auc: m.auc, accuracy: m.report.accuracy, macroF1: m.report.macroF1, majorityBaseline: m.report.majorityBaseline, heldOutRows: m.report.n, trainRows: m.trainRows, seconds: (Date.now() - started) / 1000 })}\n`,
    );
    return;
  }

  if (values.synthetic) {
    if (values.synthetic !== 'intent' && values.synthetic !== 'sentiment')
      throw new UsageError('--synthetic must be intent, sentiment or propensity');
    const t: CommentTask = values.synthetic;
    const r = trainDefaultCommentModel(t, { progress, seed: num(values.seed, 'seed', 1, Number.isInteger) });
    clf = r.classifier;
    report = r.unseenTemplates;
    name = values.name ?? `comment-${t}`;
    task = t;
    provenance = SYNTHETIC_PROVENANCE;
    extraTraining = { inDistributionHeldOutAccuracy: clf.report.accuracy, evaluatedOn: 'unseen templates' };
    printReport(clf.report, 'held-out (same templates)');
  } else {
    if (!values.data) throw new UsageError('give --data FILE.csv, --synthetic intent|sentiment|propensity or --events FILE.jsonl');
    let text: string;
    try {
      text = readFileSync(values.data, 'utf8');
    } catch (e) {
      throw new DataError(`--data ${values.data}: ${e instanceof Error ? e.message : String(e)}`);
    }
    let parsed: ReturnType<typeof labelledRowsFromCsv>;
    try {
      parsed = labelledRowsFromCsv(text, values['text-col'], values['label-col']);
    } catch (e) {
      throw new DataError(`${values.data}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const { rows: all, skipped, textCol } = parsed;
    const seed = num(values.seed, 'seed', 42, Number.isInteger);
    const limit = num(values.limit, 'limit', all.length, (n) => Number.isInteger(n) && n > 0);
    const allLabels = [...new Set(all.map((r) => r.label))].sort();
    if (allLabels.length < 2)
      throw new DataError(
        `${values.data}: column "${values['label-col']}" has a single label "${allLabels[0]}" in ${all.length} rows; a classifier needs at least 2`,
      );
    if (allLabels.length > Math.max(50, all.length / 10)) {
      throw new DataError(
        `${values.data}: column "${values['label-col']}" has ${allLabels.length} distinct values in ${all.length} rows, which looks like text, not labels (swapped --text-col/--label-col?)`,
      );
    }
    const rows = limit < all.length ? stratifiedSample(labelIndex(all).y, limit, seed).map((i) => all[i]) : all;
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
    progress(
      `read ${all.length} rows from ${values.data} (text column "${textCol}", ${skipped} skipped for an empty text or label)${limit < all.length ? `; stratified seeded sample of ${rows.length}` : ''}; labels ${[...counts].map(([l, c]) => `${l}=${c}`).join(' ')}`,
    );
    if (counts.size < 2) throw new UsageError(`--limit ${limit} leaves a single label; a classifier needs at least 2`);
    task = (values.task ?? 'text-classification') as ModelTask;
    if (!MODEL_TASKS.includes(task)) throw new UsageError(`--task must be one of ${MODEL_TASKS.join(', ')}`);
    name =
      values.name ??
      (basename(values.data)
        .replace(/\.[^.]+$/, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 64) ||
        'text-classifier');
    const minN = num(values['min-n'], 'min-n', 1, (n) => Number.isInteger(n) && n >= 1 && n <= 5);
    const maxN = num(values['max-n'], 'max-n', 3, (n) => Number.isInteger(n) && n >= minN && n <= 5);
    const wordRange = parseRange(values.words ?? '1-2', 'words');
    const featurizer: FeaturizerConfig = {
      kind: wordRange ? 'char-word-ngram-hash' : 'char-ngram-hash',
      dim: num(values.dim, 'dim', 1 << 16, (n) => Number.isInteger(n) && n >= 16 && n <= 1 << 20),
      minN,
      maxN,
      seed: 0,
      maxChars: 2000,
      ...(wordRange ? { words: { segmenter: 'jieba' as const, minN: wordRange[0], maxN: wordRange[1], version: jiebaVersion() } } : {}),
    };
    const nbAlpha = num(values['nb-alpha'], 'nb-alpha', 1, (n) => n >= 0);
    const l2Grid =
      values.l2 !== undefined ? [num(values.l2, 'l2', 0, (n) => n >= 0)] : parseGrid(values['l2-grid'] ?? '1e-7,1e-6,1e-5', 'l2-grid');
    const folds = num(values.folds, 'folds', 5, (n) => Number.isInteger(n) && (n === 0 || n >= 2));
    const smallest = Math.min(...counts.values());
    if (folds > smallest)
      throw new UsageError(
        `--folds ${folds} needs at least ${folds} rows of every label; the smallest label has ${smallest} (use fewer folds or --folds 0)`,
      );
    const opts: TextClassifierTrainOptions = {
      featurizer,
      train: {
        epochs: num(values.epochs, 'epochs', 6, (n) => Number.isInteger(n) && n > 0),
        batchSize: num(values['batch-size'], 'batch-size', 32, (n) => Number.isInteger(n) && n > 0),
        learningRate: num(values.lr, 'lr', 0.02, (n) => n > 0),
        l2: l2Grid[0],
        seed,
      },
      testFraction: num(values['test-fraction'], 'test-fraction', 0.2, (n) => n > 0 && n < 1),
      splitSeed: 7,
      nb: nbAlpha > 0 ? { alpha: nbAlpha } : undefined,
      l2Grid,
      calibrate: !values['no-calibrate'],
      selectEpochs: !values['no-select-epochs'],
      validationFraction: num(values['validation-fraction'], 'validation-fraction', 0.15, (n) => n > 0 && n < 0.5),
      progress,
    };
    const featStarted = Date.now();
    const xs = featurizeRows(rows, featurizer);
    progress(`featurized ${rows.length} rows in ${((Date.now() - featStarted) / 1000).toFixed(1)} s`);
    clf = trainTextClassifier(rows, opts, xs);
    report = clf.report;
    if (folds >= 2) {
      const cvStarted = Date.now();
      cv = crossValidateTextClassifier(rows, folds, opts, seed, xs);
      cvSeconds = (Date.now() - cvStarted) / 1000;
      kfold = {
        k: cv.k,
        seed: cv.seed,
        accuracyMean: cv.accuracy.mean,
        accuracySd: cv.accuracy.sd,
        macroF1Mean: cv.macroF1.mean,
        macroF1Sd: cv.macroF1.sd,
      };
    }
    provenance = `trained by livepromo train from ${basename(values.data)} (columns ${textCol}, ${values['label-col']}; ${rows.length} rows${limit < all.length ? ` (stratified sample of ${all.length}, seed ${seed})` : ''}; stratified ${Math.round((1 - opts.testFraction) * 100)}/${Math.round(opts.testFraction * 100)} split, seed ${opts.splitSeed}; λ, epochs and calibration chosen on an inner ${opts.validationFraction} validation split of the training rows)`;
  }
  const labelMap = parseLabelMap(values['label-map']);
  const { manifest, onnx } = packageTextClassifier(clf, { name, task, provenance, labelMap, metricsReport: report, extraTraining, kfold });
  const dir = await writeModelFolder(out, manifest, onnx);
  printReport(report, values.synthetic ? 'held-out (unseen templates)' : 'held-out');
  if (!values.synthetic && clf.reliability)
    printReliability(clf.reliability, `held-out reliability (calibration: ${clf.training.calibration})`);
  if (cv) printCrossValidation(cv, clf.labels);
  process.stdout.write(
    `${JSON.stringify({
      model: name,
      task,
      folder: dir,
      onnxBytes: onnx.length,
      accuracy: report.accuracy,
      macroF1: report.macroF1,
      majorityBaseline: report.majorityBaseline,
      heldOutRows: report.n,
      trainRows: clf.trainRows,
      l2: clf.training.l2,
      epochs: clf.training.epochs,
      ece: clf.reliability?.ece,
      kfold,
      seconds: (Date.now() - started) / 1000,
      kfoldSeconds: cv ? cvSeconds : undefined,
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
}

// bad options exit 2, unusable data (empty file, unknown column, a single label, ...) exit 1, --help exit 0 (@livepromo/io)
runCli('livepromo train', USAGE, main);
