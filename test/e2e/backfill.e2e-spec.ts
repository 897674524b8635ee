/**
 * Backfill end to end (#17): a two-year-old export of >= 50,000 events is imported through the job API
 * (POST /v1/import-jobs, JSONL of canonical envelopes, made by the simulator) into the real services as
 * separate processes over real Kafka, Postgres and Redis. The job accounts for every row end to end
 * (read = accepted + rejected; accepted = clean + duplicate + dead-lettered + discarded, from cleaning's
 * import.outcome.counted), nothing is dead-lettered as too_late, profiles / recommendations / funnel / ROI
 * for that period are non-empty, the past sessions make no live suggestions, and importing the same file
 * again changes no total (every event of the second job is a duplicate).
 */
import { Kafka, logLevel } from 'kafkajs';
import { describeWithInfra, uniquePrefix, waitFor } from '@livepromo/testing';
import { buildWorld } from '../../tools/simulator/world';
import { generateDays, SimStats } from '../../tools/simulator/day';
import { http, OPERATOR_TOKEN, Platform } from './harness';

interface JobView {
  jobId: string;
  status: string;
  counts: { read: number; accepted: number; rejected: number; rejectedByReason: Record<string, number> };
  progress: { totalRows: number | null; percentDone: number | null; rowsPerSec: number | null; etaSec: number | null };
  pipeline: { state: string; processed: number; awaiting: number; clean: number; duplicate: number; deadLettered: Record<string, number>; discarded: Record<string, number> };
}

async function topicCount(brokers: string[], topic: string): Promise<number> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((a, o) => a + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

describeWithInfra('backfill: a two-year-old export through the import job API and every service', (infra) => {
  const prefix = uniquePrefix('e2ebf');
  const platform = new Platform(infra, prefix, 4400 + Math.floor(Math.random() * 80) * 10);
  const tenant = `bf-${Date.now().toString(36)}`;
  let key = '';
  const auth = () => ({ authorization: `Bearer ${key}` });
  const stats: SimStats = { events: 0, byType: {}, botEvents: 0, paidRevenueFen: 0, refundedFen: 0, costFen: 0 };
  const world = buildWorld({ seed: 11, users: 2600, streamers: 6, courses: 5, botShare: 0.03 });
  // two years ago, whole days
  const startMs = Date.parse(new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10));
  const days = 6;
  const from = new Date(startMs - 86_400_000).toISOString();
  const to = new Date(startMs + (days + 1) * 86_400_000).toISOString();
  const events = [...generateDays(world, { tenantId: 'placeholder', days, sessionsPerDay: 3, viewersPerSession: 700, startDate: new Date(startMs).toISOString().slice(0, 10), seed: 11 }, stats)].map((e) => ({ ...e, tenantId: undefined }));
  const file = Buffer.from(`${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  let first: JobView;
  let second: JobView;

  const runJob = async (): Promise<JobView> => {
    const res = await fetch(`${platform.svc('ingestion').url}/v1/import-jobs?format=jsonl`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/x-ndjson' }, body: file });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as JobView;
    let job: JobView | undefined;
    await waitFor(
      `import job ${jobId} sent and fully accounted for by cleaning`,
      async () => {
        job = (await http<JobView>('GET', `${platform.svc('ingestion').url}/v1/import-jobs/${jobId}`, undefined, auth())).body;
        return job.status !== 'running' && job.pipeline.state === 'complete';
      },
      240_000,
      1000,
    ).catch((e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; last ${JSON.stringify(job)}`);
    });
    return job!;
  };

  beforeAll(async () => {
    expect(events.length).toBeGreaterThanOrEqual(50_000);
    // inference classifies comments and is not part of this question: left out to spare the CPU
    await platform.start(['cleaning', 'user-profile', 'streamer-recommender', 'content-optimiser', 'roi']);
    const created = await http<{ apiKey: { key: string } }>('POST', `${platform.svc('ingestion').url}/v1/admin/tenants`, { tenantId: tenant, name: 'Backfill' }, { 'x-operator-token': OPERATOR_TOKEN });
    expect(created.status).toBe(201);
    key = created.body.apiKey.key;
    for (const [svc, path] of [
      ['roi', '/v1/roi/reports?dimension=day'],
      ['user-profile', '/v1/segments'],
      ['streamer-recommender', '/v1/models/current'],
    ]) {
      await waitFor(`${svc} to know the key`, async () => (await http('GET', `${platform.svc(svc).url}${path}`, undefined, auth())).status !== 401, 60_000, 250);
    }
    const t0 = Date.now();
    first = await runJob();
    process.stderr.write(`[e2e backfill] ${events.length} rows (${(file.length / 1e6).toFixed(1)} MB) imported and cleaned in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify({ counts: first.counts, pipeline: first.pipeline, progress: first.progress })}\n`);
  }, 600_000);

  afterAll(async () => {
    await platform.stop();
  });

  it('the job accounts for every row: read = accepted + rejected, accepted = clean + duplicate + dead-lettered + discarded; none too_late', () => {
    const c = first.counts;
    const p = first.pipeline;
    expect(c.read).toBe(events.length);
    expect(c.read).toBe(c.accepted + c.rejected);
    expect(c.accepted).toBe(p.clean + p.duplicate + sum(p.deadLettered) + sum(p.discarded));
    expect(p.awaiting).toBe(0);
    expect(p.deadLettered.too_late ?? 0).toBe(0);
    expect(p.clean).toBeGreaterThan(0.9 * c.accepted);
    expect(first.progress).toMatchObject({ totalRows: events.length, percentDone: 100, etaSec: 0 });
    expect(first.progress.rowsPerSec).toBeGreaterThan(0);
  });

  it('ROI and the funnel for that period are non-empty and hold the paid revenue sent', async () => {
    let last: unknown;
    await waitFor(
      'the ledger to hold the paid orders of two years ago',
      async () => {
        const r = await http<{ totals: { revenue: { grossPaidMinor: string | number } } }>('GET', `${platform.svc('roi').url}/v1/roi/reports?dimension=day&from=${from}&to=${to}`, undefined, auth());
        last = r.body;
        return r.status === 200 && Number(r.body.totals.revenue.grossPaidMinor) === stats.paidRevenueFen;
      },
      120_000,
      1000,
    ).catch((e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; sent paid ${stats.paidRevenueFen}; last ${JSON.stringify(last).slice(0, 1500)}`);
    });
    const f = await http<{ totals: Record<string, unknown> }>('GET', `${platform.svc('roi').url}/v1/roi/funnel?dimension=all&from=${from}&to=${to}&asOf=${to}`, undefined, auth());
    expect(f.status).toBe(200);
    const counts = JSON.stringify(f.body.totals);
    process.stderr.write(`[e2e backfill] funnel totals ${counts.slice(0, 600)}\n`);
    expect(Object.values(f.body.totals).some((v) => typeof v === 'number' && v > 0) || /"(visits|orders|paid)":[1-9]/.test(counts)).toBe(true);
  });

  it('profiles (as of the period) and recommendations exist for the imported audience', async () => {
    const buyer = events.find((e) => e.type === 'order.paid' && e.userId)!.userId!;
    let profile: { status: number; body: unknown } = { status: 0, body: null };
    await waitFor('a profile for a buyer of two years ago', async () => (profile = await http('GET', `${platform.svc('user-profile').url}/v1/profiles/${buyer}?asOf=${to}`, undefined, auth())).status === 200, 120_000, 1000);
    expect(JSON.stringify(profile.body)).toMatch(/"interests"/);
    const retrain = await http('POST', `${platform.svc('streamer-recommender').url}/v1/models/retrain`, {}, auth());
    expect(retrain.status).toBeLessThan(300);
    const viewer = events.find((e) => e.type === 'live.room.entered' && e.userId)!.userId!;
    const r = await http<{ items?: unknown[]; results?: unknown[] }>('GET', `${platform.svc('streamer-recommender').url}/v1/recommendations/users/${viewer}/streamers?limit=3`, undefined, auth());
    expect(r.status).toBe(200);
    expect((r.body.items ?? r.body.results ?? []).length).toBeGreaterThan(0);
  });

  it('the past sessions are history in the content optimiser: state and metrics, no live suggestions', async () => {
    const session = events.find((e) => e.type === 'live.session.started')!.liveSessionId!;
    let state: { status: number; body: { suggestions?: unknown[] } } = { status: 0, body: {} };
    await waitFor(`state of ${session}`, async () => (state = await http('GET', `${platform.svc('content-optimiser').url}/v1/live-sessions/${session}`, undefined, auth())).status === 200, 60_000, 1000);
    expect(state.body.suggestions ?? []).toEqual([]);
    expect(await topicCount(infra.kafkaBrokers, `${prefix}live.suggestions.v1`).catch(() => 0)).toBe(0);
  });

  it('importing the same file again changes no total: every accepted event of the second job is a duplicate', async () => {
    const cleanBefore = await topicCount(infra.kafkaBrokers, `${prefix}events.clean.v1`);
    second = await runJob();
    process.stderr.write(`[e2e backfill] second import: ${JSON.stringify({ counts: second.counts, pipeline: second.pipeline })}\n`);
    expect(second.counts).toEqual(first.counts);
    expect(second.pipeline.clean).toBe(0);
    expect(second.pipeline.duplicate + sum(second.pipeline.deadLettered)).toBe(second.counts.accepted);
    expect(second.pipeline.deadLettered).toEqual(first.pipeline.deadLettered);
    expect(await topicCount(infra.kafkaBrokers, `${prefix}events.clean.v1`)).toBe(cleanBefore);
    const r = await http<{ totals: { revenue: { grossPaidMinor: string | number } } }>('GET', `${platform.svc('roi').url}/v1/roi/reports?dimension=day&from=${from}&to=${to}`, undefined, auth());
    expect(Number(r.body.totals.revenue.grossPaidMinor)).toBe(stats.paidRevenueFen);
  });
});
