/**
 * The demo world in the operator console, in headless Chromium (Debian's chromium driven by playwright-core):
 * `npm start`'s embedded platform with the demo on (scaled down for CI), every view in Chinese (the browser's
 * language) and in English (switched), each against the REST API's figures, an axe-core check per view (no
 * serious or critical violation), and the demo's planted truth: the best streamer for c-python ranks first by M
 * and by the page, and the planted best strategy wins the bandit of the live room's "clicks but no orders".
 * Screenshots go to test/e2e/screenshots/, or to docs/screenshots/ with UPDATE_SCREENSHOTS=1.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { waitFor } from '@livepromo/testing';
import { EmbeddedProcess, http } from './harness';
import { DEMO_TRUTH } from '../../tools/simulator/demo-world';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '..', '..', 'docs', 'screenshots') : join(__dirname, 'screenshots');
const OPERATOR = 'console-demo-operator-token-0123';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.LIVEPROMO_REQUIRE_INFRA === '1') throw new Error(`LIVEPROMO_REQUIRE_INFRA=1 but no browser at ${CHROMIUM} (run tools/scripts/ensure-chromium.sh)`);

type Window = { windowEnd: string; worstMetric: string | null; metrics: Record<string, number> };
type State = { endedAt: string | null; windows: Record<string, Window[]>; suggestions: { suggestionId: string; strategy: string; feedback: string | null }[] };
type Arm = { category: string; trigger: string; strategy: string; pulls: number; posteriorMean: number };

(haveBrowser ? describe : describe.skip)('the demo world in the operator console (zh + en, axe, planted truth)', () => {
  const port = 6500 + Math.floor(Math.random() * 400);
  const platform = new EmbeddedProcess(port, { OPERATOR_TOKEN: OPERATOR, LIVEPROMO_DEMO: '1', LIVEPROMO_DEMO_SCALE: process.env.LIVEPROMO_DEMO_SCALE ?? '0.35', LIVEPROMO_DEMO_HOST_DELAY_MS: '3000' });
  const base = `http://127.0.0.1:${port}`;
  let key = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const auth = () => ({ authorization: `Bearer ${key}` });
  const api = async <T>(path: string) => {
    const r = await http<T>('GET', `${base}${path}`, undefined, auth());
    expect(r.status).toBe(200);
    return r.body;
  };
  const shot = async (name: string) => {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };
  const axe = async (view: string) => {
    const r = await new AxeBuilder({ page }).include(`#view-${view}`).analyze();
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  };
  const open = async (view: string) => {
    await page.click(`#tabs button[data-view="${view}"]`);
    await page.waitForSelector(`#view-${view}:not([hidden])`);
  };
  /** Re-opens the view until what it shows equals what the API says at that moment (the live room keeps moving). */
  const sameAsApi = async (what: string, view: string, shown: () => Promise<string | null>, rest: () => Promise<string>) =>
    waitFor(what, async () => {
      await open(view);
      const before = await rest();
      const onPage = await shown().catch(() => null);
      return onPage === before || onPage === (await rest());
    }, 90_000, 500);

  beforeAll(async () => {
    platform.start();
    await waitFor('the demo to be ready', async () => {
      const m = /demo tenant "demo": Authorization: Bearer (\S+)/.exec(platform.output.join(''));
      if (m) key = m[1];
      return Boolean(m);
    }, 240_000, 500);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await platform.kill('SIGTERM');
  });

  it('speaks Chinese from the browser language and shows today with the live room', async () => {
    await page.goto(`${base}/console/`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.fill('#key', key);
    await page.click('#signin-form button');
    await page.waitForSelector('#tabs:not([hidden])');
    expect(await page.textContent('#tabs button[data-view="overview"]')).toBe('今日概览');
    // the live room appears once the platform has processed its start (re-open the view until it does)
    await waitFor('the live room on the overview', async () => {
      await open('overview');
      return page.waitForSelector(`[data-room="${DEMO_TRUTH.liveSessionId}"]`, { timeout: 15_000 }).then(() => true, () => false);
    }, 150_000, 1_000);
    // every room the page lists as live, the API lists as live
    const live = (await api<{ sessions: { sessionId: string; live: boolean }[] }>('/v1/live-sessions?limit=50')).sessions.filter((s) => s.live).map((s) => s.sessionId);
    for (const id of await page.locator('[data-room]').evaluateAll((els) => els.map((e) => e.getAttribute('data-room')))) expect(live).toContain(id);
    const orders = await page.getAttribute('[data-kpi="orders"]', 'data-value');
    expect(Number(orders)).toBeGreaterThan(0);
    await page.waitForSelector('#ov-week svg');
    await axe('overview');
    await shot('overview-zh');
  });

  it('live room: charts with time axes over SSE, hundreds of viewers, figures equal to the API', async () => {
    await open('live');
    await page.waitForSelector(`#session-list [data-session="${DEMO_TRUTH.liveSessionId}"] [data-live="true"]`, { timeout: 60_000 });
    await page.click(`#session-list [data-session="${DEMO_TRUTH.liveSessionId}"]`);
    await page.waitForSelector(`#session-list button.current[data-session="${DEMO_TRUTH.liveSessionId}"]`);
    await page.waitForSelector('#chart-viewers svg');
    const latestViewers = async () => {
      const st = await api<State>(`/v1/live-sessions/${DEMO_TRUTH.liveSessionId}?history=1`);
      return String(st.windows['60s'][0]?.metrics.concurrentViewers ?? '');
    };
    // the room moves every 10 s: the page's latest minute must equal the API's, read just before or just after
    await waitFor('the page to show the API viewers', async () => {
      const before = await latestViewers();
      const shown = await page.getAttribute('[data-latest="viewers"]', 'data-value');
      return shown === before || shown === (await latestViewers());
    }, 120_000, 1_000);
    await waitFor('hundreds of viewers in the room', async () => Number(await latestViewers()) >= 100, 120_000, 2_000);
    expect(await page.locator('figure.chart .echart svg').count()).toBe(5);
    await axe('live');
    await shot('live-room-zh');
  });

  it('finder: the planted best streamer for c-python ranks first by M, with formula, terms and sample', async () => {
    await open('finder');
    await page.fill('#course', DEMO_TRUTH.liveCourseId);
    await page.click('#finder-form button[type=submit]');
    const rest = await api<{ results: { streamerId: string; value: number }[] }>(`/v1/streamer-scores?courseId=${DEMO_TRUTH.liveCourseId}&limit=10`);
    expect(rest.results[0].streamerId).toBe(DEMO_TRUTH.bestStreamerFor[DEMO_TRUTH.liveCourseId]);
    await page.waitForSelector('[data-m-streamer]');
    expect(await page.getAttribute('#m-scores li:first-child', 'data-m-streamer')).toBe(DEMO_TRUTH.bestStreamerFor[DEMO_TRUTH.liveCourseId]);
    expect(await page.textContent('#m-formula')).toMatch(/^M = Σ_j δ_j·C_j \+ ε·B/);
    await page.waitForSelector('[data-streamer]');
    await axe('finder');
    await shot('streamer-finder-zh');
  });

  it('session review of a past session: minute curve, suggestions and L as the API has them', async () => {
    const past = (await api<{ sessions: { sessionId: string; live: boolean }[] }>('/v1/live-sessions?limit=50')).sessions.find((s) => !s.live && s.sessionId.startsWith('ls-laowang'));
    expect(past).toBeDefined();
    await open('review');
    await page.selectOption('#review-session', past!.sessionId);
    const score = await api<{ value: number }>(`/v1/live-sessions/${past!.sessionId}/content-score`);
    await waitFor('L on the page', async () => (await page.getAttribute('#l-value', 'data-value')) === String(score.value), 30_000, 250);
    expect(await page.locator('#l-terms tbody tr').count()).toBe(7);
    await page.waitForSelector('#review-curve svg');
    const curve = await api<{ minutes: { viewersAtEnd: number }[] }>(`/v1/live-sessions/${past!.sessionId}/minute-curve`);
    expect(await page.getAttribute('#review-curve', 'data-minutes')).toBe(String(curve.minutes.length));
    expect(Math.max(...curve.minutes.map((m) => m.viewersAtEnd))).toBeGreaterThanOrEqual(50);
    await axe('review');
    await shot('session-review-zh');
  });

  it('switches to English; ROI totals equal the API', async () => {
    await page.click('#lang');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#tabs button[data-view="overview"]')).toBe('Today');
    await open('roi');
    await page.waitForSelector('[data-total="netMinor"]');
    const from = new Date(`${await page.inputValue('#roi-from')}T00:00:00Z`).toISOString();
    const to = new Date(Date.parse(`${await page.inputValue('#roi-to')}T00:00:00Z`) + 86_400_000).toISOString();
    await sameAsApi('ROI paid orders', 'roi', () => page.getAttribute('[data-total="paidOrders"]', 'data-value'), async () =>
      String((await api<{ totals: { sample: { paidOrders: number } } }>(`/v1/roi/reports?dimension=streamer&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).totals.sample.paidOrders),
    );
    await axe('roi');
    await shot('roi-en');
    await open('live');
    await page.waitForSelector('[data-series="viewers"] figcaption span:text-is("concurrent viewers")', { timeout: 60_000 });
    await shot('live-room-en');
    await open('review');
    await page.waitForSelector('#l-terms th:text-is("contribution")');
    await page.waitForSelector('#review-curve svg');
    await shot('session-review-en');
  });

  it('the planted best strategy wins the bandit of the live room (clicks but no orders)', async () => {
    // the simulated host accepts suggestions; each incident's outcome rewards the strategy by its planted effect
    const arms = async () =>
      (await api<{ arms: Arm[] }>(`/v1/bandit/arms?category=${DEMO_TRUTH.liveCategory}&trigger=clicks_without_orders`)).arms.filter((a) => a.pulls > 0);
    // Thompson sampling keeps exploring: an arm pulled once right as an incident ended on its own can look lucky
    // (reward for a natural recovery), and its mean falls back as it is pulled again. So wait, within a bound, for the
    // planted best arm to be ahead of every other measured arm, and say what was seen if it never is.
    let last: Arm[] = [];
    const ahead = async () => {
      last = await arms();
      const best = last.find((a) => a.strategy === DEMO_TRUTH.bestStrategy);
      return best !== undefined && last.every((a) => a === best || best.posteriorMean > a.posteriorMean);
    };
    const won = await waitFor('the planted best strategy ahead of every measured arm', ahead, 170_000, 2_000).catch(() => false);
    expect({ won, arms: last.map((a) => ({ strategy: a.strategy, pulls: a.pulls, posteriorMean: a.posteriorMean })) }).toMatchObject({ won: true });
  }, 230_000);
});
