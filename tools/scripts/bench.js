#!/usr/bin/env node
// `npm run bench`: brings infrastructure up, runs every service's benchmark (services/*/bench/*.bench.ts)
// one after another, then prints one summary table from bench/results/*.json.
// `npm run bench -- cleaning roi` runs only those services; `--summary` only prints the table.
const { spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const root = path.join(__dirname, '..', '..');
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const resultsDir = path.join(root, 'bench', 'results');
fs.mkdirSync(resultsDir, { recursive: true });

const env = { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.json') };
if (!args.includes('--summary')) {
  if (!env.KAFKA_BROKERS) {
    const out = execFileSync('bash', [path.join(root, 'tools/infra/infra.sh'), 'up'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    for (const line of out.split('\n')) {
      const m = /^(KAFKA_BROKERS|DATABASE_URL|REDIS_URL)=(\S+)$/.exec(line.trim());
      if (m) env[m[1]] = m[2];
    }
  }
  const benches = fs
    .readdirSync(path.join(root, 'services'))
    .filter((s) => only.length === 0 || only.includes(s))
    .flatMap((s) => {
      const dir = path.join(root, 'services', s, 'bench');
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => path.join(dir, f)) : [];
    });
  // Whole-platform benches in bench/ (`npm run bench -- pipeline`: bench/pipeline.bench.ts, run last: it boots every service).
  for (const f of fs.readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.bench.ts')).sort()) {
    if (only.length === 0 || only.includes(f.replace(/\.bench\.ts$/, ''))) benches.push(path.join(root, 'bench', f));
  }
  // One bench of a service by name: `npm run bench -- recommender-scale` (1M interactions, 100k items, 5k categories).
  if (only.includes('recommender-scale')) benches.push(path.join(root, 'services/streamer-recommender/bench/catalogue-scale.bench.ts'));
  // Backfill throughput to clean data (import job → cleaning) vs a kafkajs pass-through: `npm run bench -- backfill`.
  if (only.includes('backfill')) benches.push(path.join(root, 'services/ingestion/bench/backfill.bench.ts'));
  for (const file of benches) {
    process.stderr.write(`\n=== ${path.relative(root, file)}\n`);
    const started = Date.now();
    const r = spawnSync(process.execPath, ['-r', '@swc-node/register', file], { cwd: root, env, stdio: 'inherit', timeout: 10 * 60 * 1000 });
    process.stderr.write(`=== ${path.basename(file)}: exit ${r.status ?? r.signal} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

// Summary: every numeric leaf of every results file (flattened), one row per figure.
const rows = [];
for (const f of fs.readdirSync(resultsDir).filter((f) => f.endsWith('.json')).sort()) {
  let data;
  try {
    data = JSON.parse(fs.readFileSync(path.join(resultsDir, f), 'utf8'));
  } catch {
    continue;
  }
  const walk = (obj, prefix) => {
    for (const [k, v] of Object.entries(obj)) {
      if (['machine', 'date', 'cores', 'generatedAt', 'notes', 'method'].includes(k)) continue;
      if (typeof v === 'number') rows.push([f.replace(/\.json$/, ''), prefix + k, Number.isInteger(v) ? String(v) : v.toFixed(3)]);
      else if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, `${prefix}${k}.`);
    }
  };
  walk(data, '');
}
const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ['bench', 'figure', 'value'][i].length));
const line = (r) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
console.log(`\nlivepromo benchmarks — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), ${new Date().toISOString()}`);
console.log(line(['bench', 'figure', 'value']));
console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
