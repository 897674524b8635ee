import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs the CLI as `npm run train:model` does (a child process; the CLI calls process.exit). */
function train(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'train-model.cli.ts'), ...args], {
    cwd: join(__dirname, '../../../..'),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('livepromo train (CLI)', () => {
  jest.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'train-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--help exits 0 and lists every option', () => {
    const r = train(['--help']);
    expect(r.status).toBe(0);
    for (const o of [
      '--data',
      '--synthetic',
      '--events',
      '--text-col',
      '--label-col',
      '--limit',
      '--out',
      '--name',
      '--task',
      '--label-map',
      '--dim',
      '--min-n',
      '--max-n',
      '--words',
      '--nb-alpha',
      '--epochs',
      '--batch-size',
      '--lr',
      '--seed',
      '--l2-grid',
      '--l2',
      '--validation-fraction',
      '--no-calibrate',
      '--no-select-epochs',
      '--test-fraction',
      '--folds',
    ]) {
      expect(r.stdout).toContain(o);
    }
  });

  it('refuses bad options with exit 2 and unusable data with exit 1, with a message naming the problem', () => {
    const csv = join(dir, 'reviews.csv');
    writeFileSync(csv, 'label,review\n1,好\n0,差\n');
    const unknownOption = train(['--data', csv, '--bogus']);
    expect(unknownOption.status).toBe(2);
    expect(unknownOption.stderr).toContain("Unknown option '--bogus'");
    const unknownColumn = train(['--data', csv, '--label-col', 'sentiment']);
    expect(unknownColumn.status).toBe(1);
    expect(unknownColumn.stderr).toContain('label column "sentiment" not in header [label, review]');
    const one = join(dir, 'one-class.csv');
    writeFileSync(one, 'label,review\n1,好\n1,很好\n1,不错\n');
    const single = train(['--data', one]);
    expect(single.status).toBe(1);
    expect(single.stderr).toContain('has a single label "1" in 3 rows');
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const e = train(['--data', empty]);
    expect(e.status).toBe(1);
    expect(e.stderr).toContain('empty CSV');
    const tsv = join(dir, 'reviews.tsv');
    writeFileSync(tsv, 'label\treview\n1\t好\n');
    const t = train(['--data', tsv]);
    expect(t.status).toBe(1);
    expect(t.stderr).toContain('looks tab-separated');
    const badNumber = train(['--data', csv, '--folds', '1']);
    expect(badNumber.status).toBe(2);
    expect(badNumber.stderr).toContain('--folds');
  });

  it('samples --limit stratified from a label-sorted label,review file with quotes, commas and line breaks', () => {
    // 150 positive rows, then 150 negative rows: "the first 60 rows" would hold one label only.
    const pos = ['房间很好，干净', '服务不错,很满意', '早餐丰富 "值得" 推荐', '位置方便\n下次还来'];
    const neg = ['房间很差，很脏', '服务太差,很失望', '早餐难吃 "不会" 再来', '位置偏僻\n不推荐'];
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const lines = ['label,review'];
    for (let i = 0; i < 150; i++) lines.push(`1,${q(`${pos[i % 4]} ${i}号`)}`);
    for (let i = 0; i < 150; i++) lines.push(`0,${q(`${neg[i % 4]} ${i}号`)}`);
    const csv = join(dir, 'sorted.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const r = train(['--data', csv, '--limit', '60', '--folds', '3', '--out', join(dir, 'models'), '--name', 'sorted', '--dim', '4096']);
    expect(r.stderr).toContain('text column "review"');
    expect(r.stderr).toContain('stratified seeded sample of 60');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      folder: string;
      heldOutRows: number;
      trainRows: number;
      accuracy: number;
      kfold: { k: number; accuracyMean: number };
    };
    expect(result.heldOutRows + result.trainRows).toBe(60);
    expect(result.kfold.k).toBe(3);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.stdout).toContain('3-fold stratified cross-validation');
    expect(r.stdout).toContain('ECE=');
    const manifest = JSON.parse(readFileSync(join(result.folder, 'model.json'), 'utf8')) as {
      featurizer: { kind: string };
      metrics: { confusion: number[][]; kfold: unknown; reliability: unknown };
    };
    expect(manifest.featurizer.kind).toBe('char-word-ngram-hash');
    expect(manifest.metrics.confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([6, 6]);
    expect(manifest.metrics.kfold).toBeDefined();
    expect(manifest.metrics.reliability).toBeDefined();
  });
});
