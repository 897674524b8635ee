import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, OPTION_NAMES, USAGE } from './eval-recommender.cli';

/** Runs the CLI's main in-process, capturing its output. */
async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('eval-recommender CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eval-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const FAST = ['--models', 'popularity,als,hybrid', '--factors', '2', '--iterations', '1', '--k', '3'];

  it('--help exits 0 and lists every option', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const o of OPTION_NAMES) expect(USAGE).toContain(`--${o}`);
    expect(r.stdout).toBe(USAGE);
  });

  it('refuses --holdout 25 (a percentage, not a fraction) with exit 2, naming the option', async () => {
    const r = await run(['--data', 'x.csv', '--holdout', '25']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--holdout must be a fraction in (0, 1)');
  });

  it('refuses unknown options and a missing --data', async () => {
    expect((await run(['--data', 'x', '--holdot', '0.2'])).code).toBe(2);
    expect((await run([])).stderr).toContain('--data FILE is required');
  });

  it('detects a tab-separated headerless user,item,rating,timestamp file and evaluates it (stdout only)', async () => {
    const rows: string[] = [];
    for (let u = 1; u <= 20; u++) for (let k = 0; k < 6; k++) rows.push([u, ((u * 7 + k * 3) % 25) + 1, 1 + ((u + k) % 5), 881250949 + u * 100 + k].join('\t'));
    const p = file('u.data', rows.join('\n') + '\n');
    const r = await run(['--data', p, '--split', 'random', ...FAST]);
    expect(r.stderr).toContain('tab-separated (detected)');
    expect(r.stderr).toContain('layout user,item,rating,timestamp');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.input.columns).toMatchObject({ u: 0, i: 1, t: 3, w: 2 });
    expect(report.protocol).toMatchObject({ split: 'random', holdout: 0.25, excludeSeen: true, seed: 42 });
    expect(report.dataset.interactions).toBe(120);
  });

  it('names the line and column of a non-numeric time', async () => {
    const p = file('bad-time.csv', 'user_id,item_id,timestamp\na,x,1\nb,y,2\nc,z,yesterday-ish\n');
    const r = await run(['--data', p, ...FAST]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 4, column 3 ("timestamp"): time "yesterday-ish" is neither a number nor a date');
  });

  it('names the line and column of a non-numeric weight', async () => {
    const p = file('bad-weight.csv', 'user;item;time;weight\na;x;1;2\nb;y;2;lots\n');
    const r = await run(['--data', p, ...FAST]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 3, column 4 ("weight"): weight "lots" is not a number');
  });

  it('refuses a file with zero usable interactions (exit 1)', async () => {
    const p = file('zero.csv', 'user_id,item_id,timestamp,weight\na,x,1,0\nb,y,2,0\n');
    const r = await run(['--data', p, ...FAST]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('zero usable interactions');
  });

  it('refuses a file whose delimiter cannot be found', async () => {
    const p = file('one-col.txt', 'alice\nbob\n');
    const r = await run(['--data', p]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot detect the delimiter');
  });
});
