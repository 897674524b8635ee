#!/usr/bin/env node
// `npm run start:distributed`: the seven services as separate processes against real Kafka,
// Postgres and Redis (what docker-compose.yml does for ops), on ports 3001–3007.
// Brings the infrastructure up first (tools/infra/infra.sh); Ctrl-C stops every service gracefully.
// A gateway on GATEWAY_PORT (3000) serves the operator console (/console/) and forwards the REST API to the services.
const { spawn, execFileSync } = require('node:child_process');
const path = require('node:path');
const root = path.join(__dirname, '..', '..');
const SERVICES = [
  ['ingestion', 3001], ['cleaning', 3002], ['user-profile', 3003], ['streamer-recommender', 3004],
  ['content-optimiser', 3005], ['roi', 3006], ['inference', 3007],
];
const env = { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.json') };
if (!env.KAFKA_BROKERS) {
  const out = execFileSync('bash', [path.join(root, 'tools/infra/infra.sh'), 'up'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  for (const line of out.split('\n')) {
    const m = /^(KAFKA_BROKERS|DATABASE_URL|REDIS_URL)=(\S+)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
}
// No well-known secrets: a fresh operator token per start unless one is given (printed below). Without
// SECRET_ENCRYPTION_KEY this is a development run: say so, and let ingestion start (LIVEPROMO_INSECURE_DEV=1).
let generatedToken = false;
if (!env.OPERATOR_TOKEN) {
  env.OPERATOR_TOKEN = require('node:crypto').randomBytes(24).toString('base64url');
  generatedToken = true;
}
if (!env.SECRET_ENCRYPTION_KEY && env.LIVEPROMO_INSECURE_DEV !== '1') {
  env.LIVEPROMO_INSECURE_DEV = '1';
  process.stderr.write('[start:distributed] SECRET_ENCRYPTION_KEY is not set: development run (LIVEPROMO_INSECURE_DEV=1), webhook secrets and pseudonym keys stored in clear\n');
}
if (generatedToken) process.stdout.write(`[start:distributed] operator token (admin routes, X-Operator-Token): ${env.OPERATOR_TOKEN}\n`);
const only = process.argv.slice(2);
const children = SERVICES.filter(([s]) => only.length === 0 || only.includes(s)).map(([service, port]) => {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, 'services', service, 'src/main.ts')], {
    cwd: root,
    env: { ...env, PORT: String(env[`${service.toUpperCase().replace(/-/g, '_')}_PORT`] ?? port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => process.stderr.write(`[start:distributed] ${service} exited (${code ?? signal})\n`));
  return child;
});
const urls = SERVICES.filter(([s]) => only.length === 0 || only.includes(s))
  .map(([service, port]) => `${service}=http://127.0.0.1:${env[`${service.toUpperCase().replace(/-/g, '_')}_PORT`] ?? port}`)
  .join(',');
const gateway = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, 'libs/console/src/gateway.main.ts')], {
  cwd: root,
  env: { ...env, LIVEPROMO_SERVICE_URLS: urls, GATEWAY_PORT: env.GATEWAY_PORT ?? '3000' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
gateway.on('exit', (code, signal) => process.stderr.write(`[start:distributed] gateway exited (${code ?? signal})\n`));
children.push(gateway);
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    for (const c of children) c.kill('SIGTERM');
    setTimeout(() => process.exit(0), 15000).unref();
    Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r))))).then(() => process.exit(0));
  });
}
