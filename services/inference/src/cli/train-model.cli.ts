/**
 * livepromo train — trains a text classifier (hashed character n-grams + softmax regression)
 * from a labelled CSV, or from the built-in synthetic comment corpus, reports held-out
 * accuracy, macro-F1 and the confusion matrix, and writes model.onnx + model.json into
 * <out>/<name>/<n>/, which the inference service imports from MODEL_DIR at boot.
 *
 *   npm run train:model -- --data reviews.csv --text-col review --label-col label --out var/models \
 *     --name comment-sentiment --task sentiment --label-map 1=positive,0=negative
 *   npm run train:model -- --synthetic intent --out var/models
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ClassificationReport } from '../models/domain/classification-metrics';
import { labelledRowsFromCsv } from '../models/domain/csv';
import { CommentTask, SYNTHETIC_PROVENANCE, trainDefaultCommentModel } from '../models/domain/default-comment-models';
import { MODEL_TASKS, ModelTask } from '../models/domain/model-manifest';
import { TrainedTextClassifier, trainTextClassifier } from '../models/domain/text-classifier';
import { ActivityEvent, DEFAULT_PROPENSITY_TRAIN, propensityRowsFromEvents, SYNTHETIC_PROPENSITY_PROVENANCE, syntheticPropensityEvents, trainPropensity } from '../models/domain/propensity';
import { writeModelFolder } from '../models/infrastructure/model-files';
import { packagePropensityModel, packageTextClassifier } from '../models/infrastructure/text-classifier-onnx';

const USAGE = `usage: livepromo train (--data FILE.csv [--text-col text] [--label-col label] | --synthetic intent|sentiment|propensity
                       | --events EVENTS.jsonl   (purchase propensity from canonical events, one JSON envelope a line))
  [--out DIR (default $MODEL_DIR or var/models)] [--name NAME] [--task ${MODEL_TASKS.join('|')}]
  [--label-map 1=positive,0=negative] [--dim 32768] [--min-n 1] [--max-n 3] [--epochs 8] [--batch-size 32]
  [--lr 0.02] [--l2 1e-6] [--seed 42] [--test-fraction 0.2] [--limit N]`;

class UsageError extends Error {}

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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      'text-col': { type: 'string', default: 'text' },
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
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const out = values.out ?? process.env.MODEL_DIR ?? 'var/models';
  const progress = (m: string) => process.stderr.write(`[train] ${m}\n`);
  const started = Date.now();
  let clf: TrainedTextClassifier;
  let report: ClassificationReport;
  let name: string;
  let task: ModelTask;
  let provenance: string;
  let extraTraining: Record<string, string | number> = {};

  if (values.events || values.synthetic === 'propensity') {
    let events: ActivityEvent[];
    let provenance = SYNTHETIC_PROPENSITY_PROVENANCE;
    if (values.events) {
      const lines = readFileSync(values.events, 'utf8').split('\n').filter((l) => l.trim());
      events = lines.map((l, i) => {
        try {
          return JSON.parse(l) as ActivityEvent;
        } catch {
          throw new UsageError(`${values.events}:${i + 1}: not a JSON line`);
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
    if (values.synthetic !== 'intent' && values.synthetic !== 'sentiment') throw new UsageError('--synthetic must be intent, sentiment or propensity');
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
    if (!values.data) throw new UsageError('give --data FILE.csv or --synthetic intent|sentiment');
    const { rows: all, skipped } = labelledRowsFromCsv(readFileSync(values.data, 'utf8'), values['text-col'], values['label-col']);
    const limit = num(values.limit, 'limit', all.length, (n) => Number.isInteger(n) && n > 0);
    const rows = all.slice(0, limit);
    progress(`read ${rows.length} rows from ${values.data} (${skipped} skipped for an empty text or label)`);
    task = (values.task ?? 'text-classification') as ModelTask;
    if (!MODEL_TASKS.includes(task)) throw new UsageError(`--task must be one of ${MODEL_TASKS.join(', ')}`);
    name = values.name ?? (basename(values.data).replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'text-classifier');
    const minN = num(values['min-n'], 'min-n', 1, Number.isInteger);
    clf = trainTextClassifier(rows, {
      featurizer: {
        kind: 'char-ngram-hash',
        dim: num(values.dim, 'dim', 1 << 15, Number.isInteger),
        minN,
        maxN: num(values['max-n'], 'max-n', 3, Number.isInteger),
        seed: 0,
        maxChars: 2000,
      },
      train: {
        epochs: num(values.epochs, 'epochs', 8, (n) => Number.isInteger(n) && n > 0),
        batchSize: num(values['batch-size'], 'batch-size', 32, (n) => Number.isInteger(n) && n > 0),
        learningRate: num(values.lr, 'lr', 0.02, (n) => n > 0),
        l2: num(values.l2, 'l2', 1e-6, (n) => n >= 0),
        seed: num(values.seed, 'seed', 42, Number.isInteger),
      },
      testFraction: num(values['test-fraction'], 'test-fraction', 0.2, (n) => n > 0 && n < 1),
      splitSeed: 7,
      progress,
    });
    report = clf.report;
    provenance = `trained by livepromo train from ${basename(values.data)} (columns ${values['text-col']}, ${values['label-col']}; ${rows.length} rows; stratified ${Math.round((1 - clf.training.testFraction) * 100)}/${Math.round(clf.training.testFraction * 100)} split, seed ${clf.training.splitSeed})`;
  }
  const labelMap = parseLabelMap(values['label-map']);
  const { manifest, onnx } = packageTextClassifier(clf, { name, task, provenance, labelMap, metricsReport: report, extraTraining });
  const dir = await writeModelFolder(out, manifest, onnx);
  printReport(report, values.synthetic ? 'held-out (unseen templates)' : 'held-out');
  process.stdout.write(
    `${JSON.stringify({ model: name, task, folder: dir, onnxBytes: onnx.length, accuracy: report.accuracy, macroF1: report.macroF1, majorityBaseline: report.majorityBaseline, heldOutRows: report.n, trainRows: clf.trainRows, seconds: (Date.now() - started) / 1000 })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof UsageError ? `${e.message}\n${USAGE}` : e instanceof Error ? e.message : String(e)}\n`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
