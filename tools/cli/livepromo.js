#!/usr/bin/env node
// livepromo CLI: dispatches subcommands to their TypeScript entry points (run through @swc-node/register).
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const root = path.join(__dirname, '..', '..');
const commands = {
  import: ['services/ingestion/src/cli/import.cli.ts', 'bulk-import a CSV or JSONL file of events for a tenant'],
  simulate: ['tools/simulator/simulate.cli.ts', 'generate a realistic live-commerce day and send it'],
  eval: ['services/streamer-recommender/src/cli/eval-recommender.cli.ts', 'offline evaluation of the recommenders on an interaction CSV'],
  train: ['services/inference/src/cli/train-model.cli.ts', 'train a text classifier from a labelled CSV and export ONNX'],
};
const [cmd, ...rest] = process.argv.slice(2);
if (!cmd || !commands[cmd]) {
  console.error('usage: livepromo <command> [options]\n\ncommands:');
  for (const [name, [, help]] of Object.entries(commands)) console.error(`  ${name.padEnd(10)} ${help}`);
  process.exit(cmd ? 2 : 0);
}
const r = spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(root, commands[cmd][0]), ...rest], {
  stdio: 'inherit',
  cwd: process.cwd(),
  env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json'), SWC_NODE_PROJECT: path.join(root, 'tsconfig.json') },
});
process.exit(r.status ?? 1);
