#!/usr/bin/env node
// `npm start`: the embedded platform (all services, one process, no Kafka/Postgres/Redis needed).
const { spawn } = require('node:child_process');
const path = require('node:path');
const root = path.join(__dirname, '..', '..');
const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, 'tools/embedded/main.ts')], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.json') },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 1));
