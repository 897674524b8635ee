import { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { CanonicalEvent, EventType } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { createServiceApp } from '@livepromo/service-kit';
import { describeWithInfra, grantTestKey, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { flatten } from '../src/roi/domain/csv';
import { mapEvent } from '../src/roi/domain/ledger-entry';
import { manifest } from '../src/service.manifest';

/**
 * Property-based tests (fast-check) over generated event streams, through the REAL roi consumer on real Kafka and Postgres:
 * ledger total = Σ paid − Σ refunded to the fen; the rows of every dimension sum to the totals; no funnel step exceeds the
 * previous one of its chain; CSV figures = JSON figures; delivering the same stream twice = once.
 * Each run gets its own 30-day period (runs are 40 days apart) and its own user/session/order ids, in one tenant.
 * Seed: ROI_PROPERTY_SEED (default fixed for CI), printed; runs: ROI_PROPERTY_RUNS (default 15).
 */
const TENANT = 'tenant-roi-prop';
const SEED = Number(process.env.ROI_PROPERTY_SEED ?? 20261201);
const RUNS = Number(process.env.ROI_PROPERTY_RUNS ?? 15);
const BASE = Date.parse('2024-01-01T00:00:00.000Z');
const DAY = 86_400_000;
const MIN = 60_000;
const SPAN_MIN = 14 * 24 * 60; // events in the first 14 days of a run's period
const SETTINGS = { tzOffsetMinutes: 480, defaultRefundWindowDays: 7 };
const DIMS = ['session', 'streamer', 'course', 'channel', 'day'] as const;
const STREAMER_OF = ['s-0', 's-1', null] as const; // ls-2 has no streamer

const visit = fc.record({ u: fc.nat(3), s: fc.nat(2), t: fc.nat(SPAN_MIN) });
const order = fc.record({
  u: fc.nat(3),
  s: fc.option(fc.nat(2), { nil: null }),
  t: fc.nat(SPAN_MIN),
  amount: fc.integer({ min: 1, max: 1_000_000 }),
  created: fc.boolean(),
  createdGapMin: fc.nat(180),
  paid: fc.boolean(),
  refund: fc.option(fc.record({ pct: fc.integer({ min: 1, max: 100 }), delayMin: fc.nat(7 * 24 * 60) }), { nil: null }),
  channel: fc.option(fc.constantFrom('ch-a', 'ch-b'), { nil: null }),
  course: fc.option(fc.constantFrom('c-1', 'c-2'), { nil: null }),
  discount: fc.nat(500),
  windowDays: fc.integer({ min: 0, max: 7 }),
});
const streamArb = fc.record({
  entries: fc.array(visit, { maxLength: 10 }),
  clicks: fc.array(visit, { maxLength: 8 }),
  orders: fc.array(order, { maxLength: 8 }),
  ads: fc.array(fc.record({ ch: fc.constantFrom('ch-a', 'ch-b'), t: fc.nat(SPAN_MIN), amount: fc.integer({ min: 1, max: 100_000 }), impressions: fc.nat(1000) }), {
    maxLength: 3,
  }),
  fees: fc.array(fc.record({ s: fc.nat(2), t: fc.nat(SPAN_MIN), amount: fc.integer({ min: 1, max: 100_000 }) }), { maxLength: 2 }),
  /** Deliver every event twice already in the first pass (redelivery inside the stream). */
  duplicated: fc.boolean(),
});
type Stream = typeof streamArb extends fc.Arbitrary<infer T> ? T : never;

interface Built {
  events: CanonicalEvent[];
  period: { from: string; to: string };
  asOf: string;
  paid: number;
  refunded: number;
  ad: number;
  fees: number;
  coupons: number;
  paidOrders: number;
  orders: number;
  paidWithoutCreated: number;
  refundedOrders: number;
  visits: number;
  clickedVisits: number;
}

function build(run: number, s: Stream): Built {
  const start = BASE + run * 40 * DAY;
  const r = `r${run}`;
  const at = (min: number) => new Date(start + min * MIN).toISOString();
  const events: CanonicalEvent[] = [];
  let n = 0;
  const ev = (type: EventType, min: number, payload: Record<string, unknown>, ids: Record<string, string | undefined> = {}) => {
    const e = { eventId: `${TENANT}-${r}-e${n++}`, tenantId: TENANT, type, source: 'generic', occurredAt: at(min), receivedAt: at(min), schemaVersion: 1, payload } as Record<string, unknown>;
    for (const [k, v] of Object.entries(ids)) if (v !== undefined) e[k] = v;
    events.push(e as unknown as CanonicalEvent);
  };
  const session = (i: number) => ({ liveSessionId: `${r}-ls-${i}`, streamerId: STREAMER_OF[i] ? `${r}-${STREAMER_OF[i]}` : undefined });
  const user = (i: number) => `${r}-u-${i}`;
  for (const v of s.entries) ev('live.room.entered', v.t, {}, { userId: user(v.u), ...session(v.s) });
  for (const v of s.clicks) ev('live.product.clicked', v.t, { position: 1 }, { userId: user(v.u), ...session(v.s) });
  let paid = 0;
  let refunded = 0;
  let coupons = 0;
  let paidOrders = 0;
  let orders = 0;
  let paidWithoutCreated = 0;
  let refundedOrders = 0;
  s.orders.forEach((o, i) => {
    const orderId = `${r}-o-${i}`;
    const created = o.created || !o.paid; // an order is at least created
    const ids = { userId: user(o.u), ...(o.s === null ? {} : session(o.s)), courseId: o.course ?? undefined };
    const price = { amountMinor: o.amount, currency: 'CNY' };
    orders++;
    if (created) ev('order.created', Math.max(0, o.t - o.createdGapMin), { orderId, price, ...(o.channel ? { channel: o.channel } : {}) }, ids);
    if (!o.paid) return;
    paidOrders++;
    if (!created) paidWithoutCreated++;
    paid += o.amount;
    const discount = Math.min(o.discount, o.amount);
    if (discount > 0) coupons += discount;
    ev(
      'order.paid',
      o.t,
      { orderId, amount: price, refundWindowDays: o.windowDays, ...(discount > 0 ? { discount: { amountMinor: discount, currency: 'CNY' } } : {}), ...(o.channel ? { channel: o.channel } : {}) },
      ids,
    );
    if (o.refund) {
      const amount = Math.max(1, Math.floor((o.amount * o.refund.pct) / 100));
      refunded += amount;
      refundedOrders++;
      ev('order.refunded', o.t + o.refund.delayMin, { orderId, amount: { amountMinor: amount, currency: 'CNY' }, reason: 'generated' }, { userId: user(o.u) });
    }
  });
  let ad = 0;
  for (const a of s.ads) {
    ad += a.amount;
    ev('cost.ad_spend', a.t, { channel: a.ch, amount: { amountMinor: a.amount, currency: 'CNY' }, impressions: a.impressions });
  }
  let fees = 0;
  for (const f of s.fees) {
    fees += f.amount;
    ev('cost.streamer_fee', f.t, { amount: { amountMinor: f.amount, currency: 'CNY' } }, session(f.s));
  }
  const entered = new Set(s.entries.map((v) => `${v.u}|${v.s}`));
  const clicked = new Set(s.clicks.map((v) => `${v.u}|${v.s}`).filter((k) => entered.has(k)));
  return {
    events,
    period: { from: new Date(start).toISOString(), to: new Date(start + 30 * DAY).toISOString() },
    asOf: new Date(start + 30 * DAY).toISOString(), // every refund window (≤ 7 d after day 14) has closed
    paid,
    refunded,
    ad,
    fees,
    coupons,
    paidOrders,
    orders,
    paidWithoutCreated,
    refundedOrders,
    visits: entered.size,
    clickedVisits: clicked.size,
  };
}

type Json = Record<string, unknown>;
const money = (v: unknown): bigint => BigInt(v as number | string);
/** What a JSON scalar looks like in the CSV (null → empty). */
const cellText = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
};

describeWithInfra('roi properties over generated streams (fast-check) through the real consumer on Kafka and Postgres', (infra) => {
  const prefix = uniquePrefix('roiprop');
  let app: INestApplication;
  let bus: MessageBus;
  let ds: DataSource;
  let key: string;
  const get = async (path: string, query: Record<string, string>) => {
    const res = await request(app.getHttpServer()).get(`/v1/roi/${path}`).query(query).set('Authorization', `Bearer ${key}`);
    if (res.status !== 200) throw new Error(`${path} ${JSON.stringify(query)} answered ${res.status}: ${res.text}`);
    return res;
  };

  beforeAll(async () => {
    ({ app } = await createServiceApp(AppModule.register({ env: serviceTestEnv(infra, prefix, { LOG_LEVEL: 'error' }) }), manifest));
    bus = app.get(MessageBus);
    ds = app.get(DataSource);
    key = await grantTestKey(bus, TENANT);
    await waitFor('tenant key', async () => (await request(app.getHttpServer()).get('/v1/roi/reports').set('Authorization', `Bearer ${key}`)).status === 200, 30000);
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor(manifest.service, prefix.replace(/[^a-z0-9_]/g, '_')));
  });

  /** Rows the stream must leave (non-derived ledger rows + funnel facts), counted with the pure mapping. */
  const expectedRows = (events: CanonicalEvent[]) =>
    events.reduce(
      (acc, e) => {
        const m = mapEvent(e, SETTINGS);
        return { ledger: acc.ledger + m.ledger.length, funnel: acc.funnel + m.funnel.length };
      },
      { ledger: 0, funnel: 0 },
    );
  const storedRows = async (run: number) => {
    const [r] = await ds.query<{ ledger: number; funnel: number }[]>(
      `SELECT (SELECT count(*)::int FROM ledger_entry WHERE tenant_id = $1 AND rule_event_id IS NULL AND event_id LIKE $2) AS ledger,
              (SELECT count(*)::int FROM funnel_fact WHERE tenant_id = $1 AND event_id LIKE $2) AS funnel`,
      [TENANT, `${TENANT}-r${run}-%`],
    );
    return r;
  };

  /** Every report and funnel answer of the run's period, JSON and CSV. */
  const snapshot = async (b: Built, withCsv = true) => {
    const out: { reports: Record<string, Json>; reportCsv: Record<string, string>; funnels: Record<string, Json>; funnelCsv: Record<string, string> } = {
      reports: {},
      reportCsv: {},
      funnels: {},
      funnelCsv: {},
    };
    for (const dim of [...DIMS, 'all'] as const) {
      const q = { ...b.period, dimension: dim, limit: '1000' };
      out.reports[dim] = (await get('reports', q)).body as Json;
      out.funnels[dim] = (await get('funnel', { ...q, asOf: b.asOf })).body as Json;
      if (!withCsv) continue;
      out.reportCsv[dim] = (await get('reports', { ...q, format: 'csv' })).text;
      out.funnelCsv[dim] = (await get('funnel', { ...q, asOf: b.asOf, format: 'csv' })).text;
    }
    return out;
  };

  const checkProperties = (b: Built, snap: Awaited<ReturnType<typeof snapshot>>) => {
    const totals = snap.reports.all.totals as Json & { revenue: Json; cost: Json; sample: Json };
    // 1. the ledger total = Σ paid − Σ refunded, to the fen; the costs likewise
    expect(money(totals.revenue.grossPaidMinor)).toBe(BigInt(b.paid));
    expect(money(totals.revenue.refundedMinor)).toBe(BigInt(b.refunded));
    expect(money(totals.revenue.netMinor)).toBe(BigInt(b.paid - b.refunded));
    expect(money(totals.cost.adSpendMinor)).toBe(BigInt(b.ad));
    expect(money(totals.cost.streamerFeeMinor)).toBe(BigInt(b.fees));
    expect(money(totals.cost.couponMinor)).toBe(BigInt(b.coupons));
    expect(totals.sample.paidOrders).toBe(b.paidOrders);
    const split = money(totals.revenue.attributedMinor) + money(totals.revenue.influencedMinor) + money(totals.revenue.unattributedMinor);
    expect(split).toBe(BigInt(b.paid - b.refunded));
    // 2. the rows of every dimension sum to the totals (and each dimension's totals are the same)
    for (const dim of DIMS) {
      const r = snap.reports[dim] as { rows: (Json & { revenue: Json; cost: Json; sample: Json })[]; totals: Json; computation: { truncated: boolean } };
      expect(r.computation.truncated).toBe(false);
      expect(r.totals).toEqual(totals);
      const sum = (f: (x: (typeof r.rows)[number]) => unknown) => r.rows.reduce((acc, x) => acc + money(f(x)), 0n);
      expect({
        dim,
        gross: sum((x) => x.revenue.grossPaidMinor),
        refunded: sum((x) => x.revenue.refundedMinor),
        net: sum((x) => x.revenue.netMinor),
        cost: sum((x) => x.cost.totalMinor),
        paidOrders: sum((x) => x.sample.paidOrders),
        ledgerRows: sum((x) => x.sample.ledgerRows),
      }).toEqual({
        dim,
        gross: money(totals.revenue.grossPaidMinor),
        refunded: money(totals.revenue.refundedMinor),
        net: money(totals.revenue.netMinor),
        cost: money(totals.cost.totalMinor),
        paidOrders: BigInt(totals.sample.paidOrders as number),
        ledgerRows: BigInt(totals.sample.ledgerRows as number),
      });
      for (const x of r.rows) expect(x.key).not.toBe('(none)');
    }
    // 3. the funnel: no step exceeds the previous one of its chain; the order cohort adds up
    type F = { key: string; roomEntries: number | null; productClicks: number | null; ordersCreated: number; paidOrders: number; keptOrders: number; pendingOrders: number; refundedOrders: number; paidWithoutCreated: number };
    const ft = (snap.funnels.all as { totals: F }).totals;
    expect(ft).toMatchObject({
      roomEntries: b.visits,
      productClicks: b.clickedVisits,
      ordersCreated: b.orders,
      paidOrders: b.paidOrders,
      paidWithoutCreated: b.paidWithoutCreated,
      refundedOrders: b.refundedOrders,
      keptOrders: b.paidOrders - b.refundedOrders,
      pendingOrders: 0,
    });
    for (const dim of [...DIMS, 'all'] as const) {
      const f = snap.funnels[dim] as { rows: F[]; totals: F };
      for (const x of [...f.rows, f.totals]) {
        if (x.roomEntries !== null) expect(x.productClicks!).toBeLessThanOrEqual(x.roomEntries);
        expect(x.paidOrders).toBeLessThanOrEqual(x.ordersCreated);
        expect(x.keptOrders).toBeLessThanOrEqual(x.paidOrders);
        expect(x.keptOrders + x.pendingOrders + x.refundedOrders).toBe(x.paidOrders);
        expect(x.paidWithoutCreated).toBeLessThanOrEqual(x.ordersCreated);
      }
      if (dim === 'all') continue;
      // each order counts once, in one group, for every step
      const sum = (k: keyof F) => f.rows.reduce((acc, x) => acc + (x[k] as number), 0);
      expect({ dim, created: sum('ordersCreated'), paid: sum('paidOrders'), kept: sum('keptOrders') }).toEqual({
        dim,
        created: ft.ordersCreated,
        paid: ft.paidOrders,
        kept: ft.keptOrders,
      });
      if (dim === 'channel') expect(f.totals.roomEntries).toBe(b.visits);
      else if (dim !== 'day') expect({ dim, visits: sum('roomEntries'), clicks: sum('productClicks') }).toEqual({ dim, visits: b.visits, clicks: b.clickedVisits });
    }
    // 4. CSV figures = JSON figures, cell by cell (the total once for dimension=all)
    for (const dim of [...DIMS, 'all'] as const) {
      const r = snap.reports[dim] as { rows: Json[]; totals: Json };
      const csv = parse<Record<string, string>>(snap.reportCsv[dim], { columns: true });
      const json = dim === 'all' ? [{ ...r.totals, key: 'TOTAL' }] : [...r.rows, { ...r.totals, key: 'TOTAL' }];
      expect(csv).toHaveLength(json.length);
      json.forEach((row, i) => {
        for (const [k, v] of Object.entries(flatten(row))) expect({ dim, k, v: csv[i][k] }).toEqual({ dim, k, v: cellText(v) });
      });
      const f = snap.funnels[dim] as { rows: Json[]; totals: Json };
      const fcsv = parse<Record<string, string>>(snap.funnelCsv[dim], { columns: true });
      const fjson = dim === 'all' ? [{ ...f.totals, key: 'TOTAL' }] : [...f.rows, { ...f.totals, key: 'TOTAL' }];
      expect(fcsv).toHaveLength(fjson.length);
      fjson.forEach((row, i) => {
        for (const k of ['key', 'impressions', 'roomEntries', 'productClicks', 'ordersCreated', 'paidOrders', 'keptOrders', 'pendingOrders', 'refundedOrders', 'paidWithoutCreated'])
          expect({ dim, k, v: fcsv[i][k] }).toEqual({ dim, k, v: cellText(row[k]) });
      });
    }
  };

  it(`holds the reconciliation properties over ${RUNS} generated streams (seed ${SEED})`, async () => {
    console.log(`roi property test: seed ${SEED}, ${RUNS} runs (replay with ROI_PROPERTY_SEED=${SEED})`);
    let run = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(streamArb, async (s) => {
        const b = build(run, s);
        const current = run++;
        await bus.publish('events.clean.v1', s.duplicated ? [...b.events, ...b.events] : b.events);
        const want = expectedRows(b.events);
        await waitFor(`run ${current}: ${want.ledger} ledger rows and ${want.funnel} funnel facts`, async () => {
          const got = await storedRows(current);
          return got.ledger === want.ledger && got.funnel === want.funnel;
        }, 30000, 100);
        const first = await snapshot(b);
        checkProperties(b, first);
        // deliver the same stream again, then one marker per partition key (comments: no report or funnel figure)
        await bus.publish('events.clean.v1', b.events);
        const keys = new Map<string, CanonicalEvent>();
        for (const e of b.events) keys.set(e.liveSessionId ?? e.userId ?? '', e);
        const markers = [...keys.values()].map((e, i) => ({
          ...e,
          eventId: `${TENANT}-r${current}-marker-${i}`,
          type: 'live.comment.posted',
          payload: { text: 'marker' },
        })) as unknown as CanonicalEvent[];
        await bus.publish('events.clean.v1', markers);
        await waitFor(`run ${current}: replay markers`, async () => {
          const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM funnel_fact WHERE tenant_id = $1 AND event_id LIKE $2`, [
            TENANT,
            `${TENANT}-r${current}-marker-%`,
          ]);
          return n === markers.length;
        }, 30000, 100);
        const again = await snapshot(b, false);
        expect({ reports: again.reports, funnels: again.funnels }).toEqual({ reports: first.reports, funnels: first.funnels });
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true, verbose: 1 },
    );
    console.log(`roi property test: ${run} runs in ${Date.now() - started} ms`);
  }, 240_000);
});
