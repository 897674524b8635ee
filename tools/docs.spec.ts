/**
 * Keeps the docs true: every environment variable a service documents in its .env.example appears
 * in the README configuration table or in that service's README, and the README's first screen shows
 * the run, test and compose commands that package.json and docker-compose.yml really provide.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const services = readdirSync(join(root, 'services'));

describe('documentation matches the code', () => {
  it.each(services)('every variable in services/%s/.env.example is documented', (service) => {
    const envFile = join(root, 'services', service, '.env.example');
    expect(existsSync(envFile)).toBe(true);
    const vars = readFileSync(envFile, 'utf8')
      .split('\n')
      .map((l) => /^([A-Z][A-Z0-9_]*)=/.exec(l.trim())?.[1])
      .filter((v): v is string => Boolean(v));
    const serviceReadme = existsSync(join(root, 'services', service, 'README.md')) ? readFileSync(join(root, 'services', service, 'README.md'), 'utf8') : '';
    const missing = vars.filter((v) => !readme.includes(`\`${v}\``) && !serviceReadme.includes(v));
    expect(missing).toEqual([]);
  });

  it('the README first screen names npm start, npm test and docker compose up, which exist', () => {
    const firstScreen = readme.split('\n').slice(0, 30).join('\n');
    expect(firstScreen).toContain('npm start');
    expect(firstScreen).toContain('npm test');
    expect(firstScreen).toContain('docker compose up');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBeDefined();
    expect(pkg.scripts.test).toBeDefined();
    expect(existsSync(join(root, 'docker-compose.yml'))).toBe(true);
  });

  it('.ci/run calls the test command the README shows', () => {
    const ci = readFileSync(join(root, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/^npm test$/m);
  });
  it.each(readdirSync(join(root, 'libs')))('libs/%s has a README that names what it is for and shows an example', (lib) => {
    const file = join(root, 'libs', lib, 'README.md');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# @livepromo\//m);
    expect(text).toContain('```ts');
  });

  it('every path docs/DEVELOPING.md points at exists', () => {
    const dev = readFileSync(join(root, 'docs', 'DEVELOPING.md'), 'utf8');
    const paths = [...dev.matchAll(/`((?:libs|services|tools|deploy|test|docs)\/[^`*<>\s]+)`/g)].map((m) => m[1].replace(/\/$/, ''));
    expect(paths.length).toBeGreaterThan(15);
    expect(paths.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });
});
