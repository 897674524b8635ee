/**
 * livepromo import: bulk-load a CSV or JSONL file of events for a tenant through ingestion's batch endpoint.
 *
 *   npm run livepromo -- import --tenant T --key KEY [--url http://127.0.0.1:3001] FILE.csv|FILE.jsonl
 *       [--mapping mapping.json|<name>] [--map column=field[:convert] ...] [--rejects rejects.jsonl]
 *       [--batch 500] [--checkpoint FILE.checkpoint.json] [--restart] [--format csv|jsonl]
 *
 * Progress on stderr; the summary (read / accepted / rejected by reason) on stdout as JSON.
 * Interrupted? Run the same command again: it resumes after the last acknowledged batch.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyMapFlags, ImportMapping, importMappingSchema } from '../imports/domain/import-mapping';
import { MAPPINGS_DIR } from '../imports/infrastructure/mapping-catalog';
import { HeaderMismatchError, ImportCounts, importFile } from './file-importer';
import { httpBatchSender } from './http-batch-sender';

interface Args {
  file?: string;
  tenant?: string;
  key?: string;
  url: string;
  mapping?: string;
  maps: string[];
  rejects?: string;
  batch: number;
  checkpoint?: string;
  restart: boolean;
  format?: 'csv' | 'jsonl';
}

const USAGE = 'usage: livepromo import --tenant T --key KEY [--url http://127.0.0.1:3001] FILE.csv|FILE.jsonl [--mapping m.json|name] [--map col=field[:convert] ...] [--rejects rejects.jsonl] [--batch 500] [--checkpoint path] [--restart] [--format csv|jsonl]';

function parseArgs(argv: string[]): Args {
  const a: Args = { url: process.env.LIVEPROMO_URL ?? 'http://127.0.0.1:3001', maps: [], batch: 500, restart: false, key: process.env.LIVEPROMO_API_KEY };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--tenant': a.tenant = value(); break;
      case '--key': a.key = value(); break;
      case '--url': a.url = value(); break;
      case '--mapping': a.mapping = value(); break;
      case '--map': a.maps.push(value()); break;
      case '--rejects': a.rejects = value(); break;
      case '--checkpoint': a.checkpoint = value(); break;
      case '--restart': a.restart = true; break;
      case '--batch': {
        a.batch = Number(value());
        if (!Number.isInteger(a.batch) || a.batch < 1 || a.batch > 1000) throw new Error('--batch must be an integer in 1..1000');
        break;
      }
      case '--format': {
        const f = value();
        if (f !== 'csv' && f !== 'jsonl') throw new Error('--format must be csv or jsonl');
        a.format = f;
        break;
      }
      case '-h':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
       
      default:
        if (flag.startsWith('--')) throw new Error(`unknown option ${flag}`);
        if (a.file) throw new Error(`one file at a time (got ${a.file} and ${flag})`);
        a.file = flag;
    }
  }
  return a;
}

function loadMapping(spec: string | undefined, maps: string[]): ImportMapping | null {
  let mapping: ImportMapping | null = null;
  if (spec) {
    const path = existsSync(spec) ? spec : join(MAPPINGS_DIR, `${spec}.json`);
    if (!existsSync(path)) throw new Error(`mapping ${spec} not found (neither a file nor services/ingestion/mappings/${spec}.json)`);
    const r = importMappingSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!r.success) throw new Error(`invalid mapping ${path}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    mapping = r.data;
  }
  if (maps.length) mapping = applyMapFlags(mapping ?? importMappingSchema.parse({}), maps);
  return mapping;
}

function progressBar(tty: boolean) {
  let lastDraw = 0;
  let lastPct = -1;
  const started = Date.now();
  return (p: { bytes: number; totalBytes: number; counts: ImportCounts }, final = false) => {
    const now = Date.now();
    const pct = p.totalBytes ? Math.min(100, Math.floor((p.bytes / p.totalBytes) * 100)) : 100;
    if (!final && (tty ? now - lastDraw < 100 : pct < lastPct + 10)) return;
    lastDraw = now;
    lastPct = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    const rate = p.counts.read / Math.max(0.001, (now - started) / 1000);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%  read ${p.counts.read}  accepted ${p.counts.accepted}  rejected ${p.counts.rejected}  ${Math.round(rate)} rows/s`;
    process.stderr.write(tty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (!a.file || !a.tenant || !a.key) throw new Error(`--tenant, --key (or LIVEPROMO_API_KEY) and a file are required\n${USAGE}`);
  if (!existsSync(a.file)) throw new Error(`no such file: ${a.file}`);
  const mapping = loadMapping(a.mapping, a.maps);
  const format = a.format ?? mapping?.format ?? (/\.(jsonl|ndjson)$/i.test(a.file) ? 'jsonl' : /\.csv$/i.test(a.file) ? 'csv' : undefined);
  if (!format) throw new Error('cannot tell the format from the file name: pass --format csv|jsonl');
  if (format === 'csv' && !mapping) throw new Error('a CSV import needs a column mapping: --mapping FILE or --map column=field ...');
  const checkpointPath = a.checkpoint ?? `${a.file}.import-checkpoint.json`;
  const draw = progressBar(process.stderr.isTTY === true);
  const summary = await importFile({
    file: a.file,
    tenantId: a.tenant,
    format,
    mapping,
    batchSize: a.batch,
    checkpointPath,
    rejectsPath: a.rejects ?? `${a.file}.rejects.jsonl`,
    restart: a.restart,
    send: httpBatchSender({ url: a.url, key: a.key, onWait: (why, ms) => process.stderr.write(`\nwaiting ${ms} ms (${why})\n`) }),
    onProgress: (p) => draw(p),
  });
  draw({ bytes: 1, totalBytes: 1, counts: summary }, true);
  rmSync(checkpointPath, { force: true });
  const reasons = Object.entries(summary.rejectedByReason).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  process.stderr.write(
    `imported ${summary.file}: read ${summary.read}, accepted ${summary.accepted}, rejected ${summary.rejected} (${reasons}) in ${summary.seconds.toFixed(1)} s` +
      `${summary.resumedFromLine ? `, resumed after line ${summary.resumedFromLine}` : ''}; rejects in ${summary.rejectsFile}\n`,
  );
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

main().catch((e: unknown) => {
  if (e instanceof HeaderMismatchError) {
    process.stderr.write(`\nimport refused before sending anything: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`\nimport failed: ${e instanceof Error ? e.message : String(e)}\n(the checkpoint keeps what was acknowledged: run the same command again to resume)\n`);
  process.exit(1);
});
