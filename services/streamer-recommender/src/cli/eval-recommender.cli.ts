/**
 * Offline evaluation of the recommenders on any interaction file: `npm run eval:recommender -- --help`.
 * Reads the file (csv-parse, delimiter detected), hands the interactions to the evaluation domain
 * (src/evaluation/domain/run-evaluation.ts) and prints a JSON report to stdout (and to --out when given;
 * nothing is written anywhere by default). Progress goes to stderr.
 * Exit codes: 0 done (and --help), 1 unusable data, 2 bad options.
 */
import { parse } from 'csv-parse';
import { closeSync, createReadStream, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BPR_DEFAULTS, csrFromTriples } from '@livepromo/ml';
import { ItemContent, MODEL_NAMES, SPLIT_PROTOCOLS, SplitProtocol, UserEvents } from '../evaluation/domain/offline-evaluation';
import { runEvaluation } from '../evaluation/domain/run-evaluation';
import { Columns, Delimiter, DELIMITERS, detectDelimiter, looksLikeHeader, parseTime, resolveColumns } from './csv-columns';

export const USAGE = `Offline evaluation of the streamer recommenders on an interaction file.

usage: npm run eval:recommender -- --data FILE [options]

input
  --data FILE            interaction file: user,item[,time][,weight][,...] (required)
  --delimiter D          comma | tab | semicolon (or the character); default: detected from the first lines
  --user-col C           user column, header name or 0-based index (default: by header name, else 0)
  --item-col C           item column (default: by header name, else 1)
  --time-col C           time column: a number or a date (default: by header name, else 2 when present;
                         a headerless user,item,rating,timestamp file is recognised)
  --weight-col C         interaction weight, a number >= 0 (default: by header name, else 4th column after
                         user,item,time; else 1 per row); rows of weight 0 are skipped
  --content-col C        item metadata column (e.g. community) for the content component (sparse item x label)
protocol
  --split P              time | random | leave-one-out (default time)
  --holdout F            held-out share per user, in (0,1) (default 0.1 for time, 0.25 for random; not used by leave-one-out)
  --exclude-seen         drop each user's training items from candidates and relevant items
  --include-seen         keep them (repeat consumption is predicted)
                         (default: exclude when the data's repeat rate is below 0.05; the report says which and why)
  --k N                  cut-off of every metric (default 10)
  --seed N               seed of the split, sampling and models (default 42)
  --eval-users N         score a seeded sample of N test users (default 0 = all)
  --fit-users N          validation users the hybrid's weights are fitted on (default 1000)
models
  --models LIST          comma list of ${MODEL_NAMES.join(', ')}
                         (default popularity,repeat-by-frequency,item-knn,als,bpr,hybrid; content too with --content-col)
  --factors N            ALS factors (default 32)
  --iterations N         ALS iterations (default 12)
  --als-solver S         cholesky | cg (default cholesky; cg for large catalogues)
  --neighbours N         item-kNN neighbours per item (default 100)
  --bpr-factors N        BPR factors (default ${BPR_DEFAULTS.factors})
  --bpr-epochs N         BPR epochs (default ${BPR_DEFAULTS.epochs})
  --bpr-lr X             BPR learning rate (default ${BPR_DEFAULTS.learningRate})
  --bpr-reg X            BPR L2 regularisation (default ${BPR_DEFAULTS.reg})
output
  --out FILE             also write the JSON report to FILE (default: stdout only)
  --help                 this text
`;

export class UsageError extends Error {}
export class DataError extends Error {}

const OPTIONS = {
  data: { type: 'string' },
  delimiter: { type: 'string' },
  'user-col': { type: 'string' },
  'item-col': { type: 'string' },
  'time-col': { type: 'string' },
  'weight-col': { type: 'string' },
  'content-col': { type: 'string' },
  split: { type: 'string' },
  holdout: { type: 'string' },
  'exclude-seen': { type: 'boolean' },
  'include-seen': { type: 'boolean' },
  k: { type: 'string' },
  seed: { type: 'string' },
  'eval-users': { type: 'string' },
  'fit-users': { type: 'string' },
  models: { type: 'string' },
  factors: { type: 'string' },
  iterations: { type: 'string' },
  'als-solver': { type: 'string' },
  neighbours: { type: 'string' },
  'bpr-factors': { type: 'string' },
  'bpr-epochs': { type: 'string' },
  'bpr-lr': { type: 'string' },
  'bpr-reg': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean' },
} as const;
/** Every option name (the --help test checks each is documented). */
export const OPTION_NAMES = Object.keys(OPTIONS);

export interface CliArgs {
  data: string;
  delimiter?: Delimiter;
  userCol?: string;
  itemCol?: string;
  timeCol?: string;
  weightCol?: string;
  contentCol?: string;
  split: SplitProtocol;
  holdout: number;
  excludeSeen?: boolean;
  k: number;
  seed: number;
  evalUsers: number;
  fitUsers: number;
  models: string[];
  factors: number;
  iterations: number;
  alsSolver: 'cholesky' | 'cg';
  neighbours: number;
  bpr: { factors: number; epochs: number; learningRate: number; reg: number };
  out?: string;
}

/** Parses and range-checks the options; throws UsageError naming the option. Returns null for --help. */
export function parseCliArgs(argv: string[]): CliArgs | null {
  let v: Record<string, string | boolean | undefined>;
  try {
    v = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (v.help) return null;
  const str = (k: string) => v[k] as string | undefined;
  const num = (k: string, def: number, check: (n: number) => boolean, what: string) => {
    const s = str(k);
    if (s === undefined) return def;
    const n = Number(s);
    if (s.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${k} must be ${what}, got ${JSON.stringify(s)}`);
    return n;
  };
  const int = (k: string, def: number, min: number) => num(k, def, (n) => Number.isInteger(n) && n >= min, `an integer ≥ ${min}`);
  const data = str('data');
  if (!data) throw new UsageError('--data FILE is required (see --help)');
  const split = (str('split') ?? 'time') as SplitProtocol;
  if (!SPLIT_PROTOCOLS.includes(split)) throw new UsageError(`--split must be one of ${SPLIT_PROTOCOLS.join(', ')}, got ${JSON.stringify(split)}`);
  const holdout = num('holdout', split === 'random' ? 0.25 : 0.1, (n) => n > 0 && n < 1, 'a fraction in (0, 1) (e.g. 0.25 for 25%)');
  if (v['exclude-seen'] && v['include-seen']) throw new UsageError('--exclude-seen and --include-seen contradict each other');
  let delimiter: Delimiter | undefined;
  const d = str('delimiter');
  if (d !== undefined) {
    const found = (Object.entries(DELIMITERS) as [Delimiter, string][]).find(([ch, name]) => d === ch || d.toLowerCase() === name || (d === '\\t' && ch === '\t'));
    if (!found) throw new UsageError(`--delimiter must be comma, tab or semicolon, got ${JSON.stringify(d)}`);
    delimiter = found[0];
  }
  const contentCol = str('content-col');
  const models = (str('models') ?? `popularity,repeat-by-frequency,item-knn,als,bpr${contentCol !== undefined ? ',content' : ''},hybrid`)
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  for (const m of models) if (!MODEL_NAMES.includes(m)) throw new UsageError(`--models: unknown model ${JSON.stringify(m)}; use ${MODEL_NAMES.join(', ')}`);
  if (!models.length) throw new UsageError('--models is empty');
  if (models.includes('content') && contentCol === undefined) throw new UsageError('--models content needs --content-col');
  const solver = str('als-solver') ?? 'cholesky';
  if (solver !== 'cholesky' && solver !== 'cg') throw new UsageError(`--als-solver must be cholesky or cg, got ${JSON.stringify(solver)}`);
  return {
    data,
    delimiter,
    userCol: str('user-col'),
    itemCol: str('item-col'),
    timeCol: str('time-col'),
    weightCol: str('weight-col'),
    contentCol,
    split,
    holdout,
    excludeSeen: v['exclude-seen'] ? true : v['include-seen'] ? false : undefined,
    k: int('k', 10, 1),
    seed: int('seed', 42, 0),
    evalUsers: int('eval-users', 0, 0),
    fitUsers: int('fit-users', 1000, 1),
    models,
    factors: int('factors', 32, 1),
    iterations: int('iterations', 12, 1),
    alsSolver: solver,
    neighbours: int('neighbours', 100, 1),
    bpr: {
      factors: int('bpr-factors', BPR_DEFAULTS.factors, 1),
      epochs: int('bpr-epochs', BPR_DEFAULTS.epochs, 1),
      learningRate: num('bpr-lr', BPR_DEFAULTS.learningRate, (n) => n > 0 && n <= 1, 'a number in (0, 1]'),
      reg: num('bpr-reg', BPR_DEFAULTS.reg, (n) => n >= 0 && n < 10, 'a number in [0, 10)'),
    },
    out: str('out'),
  };
}

export interface LoadedData {
  events: UserEvents[];
  users: number;
  items: number;
  rows: number;
  skipped: { emptyId: number; zeroWeight: number };
  delimiter: Delimiter;
  delimiterSource: 'flag' | 'detected';
  columns: Columns & { layout?: string };
  header: string[] | null;
  hasTime: boolean;
  itemContent?: ItemContent;
  labels: number;
}

function headLines(path: string, bytes = 65536): string[] {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    const lines = buf.subarray(0, n).toString('utf8').split(/\r?\n/);
    if (n === bytes) lines.pop(); // maybe cut mid-line
    return lines.filter((l) => l.trim() !== '');
  } finally {
    closeSync(fd);
  }
}

/** Reads an interaction file; throws DataError naming the line and column of the first bad value. */
export async function loadInteractions(args: CliArgs, log: (m: string) => void = () => undefined): Promise<LoadedData> {
  let head: string[];
  try {
    head = headLines(args.data);
  } catch (e) {
    throw new DataError(`cannot read ${args.data}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!head.length) throw new DataError(`${args.data} is empty: no interactions`);
  let delimiter = args.delimiter;
  const delimiterSource = delimiter ? 'flag' : 'detected';
  delimiter ??= detectDelimiter(head) ?? undefined;
  if (!delimiter) throw new DataError(`cannot detect the delimiter of ${args.data}: no comma, tab or semicolon occurs the same number of times on its first lines; pass --delimiter`);
  const split = (l: string) => l.split(delimiter as string).map((x) => x.replace(/^"|"$/g, ''));
  const first = split(head[0]);
  if (first.length < 2) throw new DataError(`${args.data}: need at least a user and an item column, found ${first.length} (${DELIMITERS[delimiter]}-separated)`);
  const header = looksLikeHeader(first, args) ? first : null;
  let columns: LoadedData['columns'];
  try {
    columns = resolveColumns(header, first.length, args, head.slice(header ? 1 : 0, 21).map(split));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const colName = (c: number) => (header ? ` (${JSON.stringify(header[c])})` : '');
  log(
    `${DELIMITERS[delimiter]}-separated (${delimiterSource}); columns (0-based): user=${columns.u} item=${columns.i} time=${columns.t ?? '(none: file order)'} weight=${columns.w ?? '(1 per row)'} content=${columns.c ?? '(none)'}${columns.layout ? `; layout ${columns.layout}` : ''}${header ? `; header ${JSON.stringify(header)}` : '; no header'}`,
  );
  if (columns.t === undefined && args.split !== 'random') throw new UsageError(`--split ${args.split} needs a time column; this file has none (give --time-col, or use --split random)`);

  const userIdx = new Map<string, number>();
  const itemIdx = new Map<string, number>();
  const labelIdx = new Map<string, number>();
  const events: UserEvents[] = [];
  const cr: number[] = [];
  const cl: number[] = [];
  let rows = 0;
  const skipped = { emptyId: 0, zeroWeight: 0 };
  const parser = createReadStream(args.data).pipe(parse({ delimiter, info: true, skip_empty_lines: true, trim: true, relax_quotes: true, from_line: header ? 2 : 1, bom: true }));
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const f = rec.record;
      const line = rec.info.lines;
      const user = f[columns.u];
      const item = f[columns.i];
      if (!user || !item) {
        skipped.emptyId++;
        continue;
      }
      let t = rows;
      if (columns.t !== undefined) {
        try {
          t = parseTime(f[columns.t] ?? '');
        } catch {
          throw new DataError(`line ${line}, column ${columns.t + 1}${colName(columns.t)}: time ${JSON.stringify(f[columns.t] ?? '')} is neither a number nor a date`);
        }
      }
      let w = 1;
      if (columns.w !== undefined) {
        const s = f[columns.w] ?? '';
        w = Number(s);
        if (s === '' || !Number.isFinite(w)) throw new DataError(`line ${line}, column ${columns.w + 1}${colName(columns.w)}: weight ${JSON.stringify(s)} is not a number`);
        if (w < 0) throw new DataError(`line ${line}, column ${columns.w + 1}${colName(columns.w)}: weight ${w} is negative (weights must be ≥ 0)`);
        if (w === 0) {
          skipped.zeroWeight++;
          continue;
        }
      }
      let u = userIdx.get(user);
      if (u === undefined) {
        userIdx.set(user, (u = userIdx.size));
        events.push({ items: [], times: [], weights: [] });
      }
      let i = itemIdx.get(item);
      if (i === undefined) itemIdx.set(item, (i = itemIdx.size));
      if (columns.c !== undefined) {
        const label = f[columns.c];
        if (label) {
          let l = labelIdx.get(label);
          if (l === undefined) labelIdx.set(label, (l = labelIdx.size));
          cr.push(i);
          cl.push(l);
        }
      }
      events[u].items.push(i);
      events[u].times.push(t);
      events[u].weights.push(w);
      rows++;
      if (rows % 250000 === 0) log(`read ${rows} rows`);
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${args.data}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (rows === 0)
    throw new DataError(
      `${args.data}: zero usable interactions (${skipped.emptyId} rows without user or item, ${skipped.zeroWeight} of weight 0); check --delimiter and the column flags`,
    );
  // sparse items × labels counts (a row per item, duplicates summed): never a dense item × label matrix
  const itemContent = labelIdx.size ? csrFromTriples(itemIdx.size, labelIdx.size, cr, cl, new Float64Array(cr.length).fill(1)) : undefined;
  return { events, users: userIdx.size, items: itemIdx.size, rows, skipped, delimiter, delimiterSource, columns, header, hasTime: columns.t !== undefined, itemContent, labels: labelIdx.size };
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const processIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

/** The whole CLI; returns the exit code (0 done or --help, 1 unusable data, 2 bad options). */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const log = (m: string) => io.stderr(`[eval] ${m}\n`);
  try {
    const args = parseCliArgs(argv);
    if (!args) {
      io.stdout(USAGE);
      return 0;
    }
    const started = Date.now();
    log(`reading ${args.data}`);
    const data = await loadInteractions(args, log);
    log(`${data.rows} interactions, ${data.users} users, ${data.items} items (skipped: ${data.skipped.emptyId} without user/item, ${data.skipped.zeroWeight} of weight 0)${data.labels ? `, ${data.labels} content labels` : ''}`);
    const readMs = Date.now() - started;
    let report;
    try {
      report = runEvaluation(
        data.events,
        data.items,
        {
          split: args.split,
          holdout: args.holdout,
          excludeSeen: args.excludeSeen,
          k: args.k,
          models: args.models,
          seed: args.seed,
          evalUsers: args.evalUsers,
          fitUsers: args.fitUsers,
          component: { factors: args.factors, iterations: args.iterations, lambda: 1, alpha: 5, alsSolver: args.alsSolver, neighbours: args.neighbours, bpr: args.bpr },
          itemContent: data.itemContent,
        },
        log,
      );
    } catch (e) {
      throw new DataError(e instanceof Error ? e.message : String(e));
    }
    const out = {
      data: resolve(args.data),
      date: new Date().toISOString(),
      cores: cpus().length,
      input: { delimiter: DELIMITERS[data.delimiter], delimiterSource: data.delimiterSource, columns: data.columns, header: data.header, rows: data.rows, skipped: data.skipped, contentLabels: data.labels },
      ...report,
      metrics: {
        precision: `P@${args.k} = hits in the top ${args.k} / ${args.k}`,
        recall: `Recall@${args.k} = hits / |relevant|`,
        ndcg: `NDCG@${args.k}, binary gains, ideal = min(${args.k}, |relevant|) hits`,
        map: `MAP@${args.k}: Σ precision at each hit / min(${args.k}, |relevant|)`,
        mrr: `MRR@${args.k}: 1 / rank of the first hit`,
        itemMrr: `mean over relevant items of 1/rank (0 outside the top ${args.k})`,
        hitRate: `share of users with ≥ 1 hit`,
        coverage: `distinct items in any top ${args.k} / catalogue`,
        novelty: 'mean over recommended items of −log2(share of training users who had the item)',
        averaging: 'every ranking metric averaged over evaluated users with ≥ 1 relevant item; newItems / repeatItems score the same rankings against held-out items new to the user / already in their training part',
      },
      models: {
        als: `implicit ALS (Hu-Koren-Volinsky), ${args.factors} factors, ${args.iterations} iterations, λ 1, α 5, ${args.alsSolver}`,
        bpr: `BPR-MF, ${args.bpr.factors} factors, ${args.bpr.epochs} epochs, lr ${args.bpr.learningRate}, reg ${args.bpr.reg}, item bias, uniform negatives`,
        itemKnn: `item cosine over user sets, ${args.neighbours} neighbours`,
        hybrid: 'Σ w_c·C_c over components scaled to [0,1] per user (ALS, item-kNN, repeat: ÷ max; BPR: min–max; popularity log prior), weights fitted on validation',
      },
      readMs,
      totalMs: Date.now() - started,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    const json = JSON.stringify(out, null, 2) + '\n';
    io.stdout(json);
    if (args.out) {
      mkdirSync(dirname(resolve(args.out)), { recursive: true });
      writeFileSync(args.out, json);
      log(`wrote ${resolve(args.out)}`);
    }
    return 0;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof UsageError) {
      io.stderr(`eval-recommender: ${msg}\n(run with --help for every option)\n`);
      return 2;
    }
    io.stderr(`eval-recommender: ${msg}\n`);
    return 1;
  }
}

if (require.main === module)
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
