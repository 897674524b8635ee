import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CanonicalEvent, EventOf } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { createServiceApp } from '@livepromo/service-kit';
import { describeWithInfra, grantTestKey, readTopic, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';
import { AS_OF, event, EXPECTED, PERIOD, scriptedStream, T0 } from './scripted-stream';

const TENANT = 'tenant-roi';
/** A tenant whose plausibility cap is raised to 6e15 fen (ROI_MAX_EVENT_AMOUNT_MINOR_BY_TENANT). */
const BIG = 'tenant-roi-big';

describeWithInfra('roi over real Kafka and Postgres: reconciliation, replay, erasure, REST', (infra) => {
  const prefix = uniquePrefix('roi');
  let app: INestApplication;
  let bus: MessageBus;
  let ds: DataSource;
  let key: string;
  const http = () => request(app.getHttpServer());
  const get = (path: string, query: Record<string, string> = {}) =>
    http()
      .get(`/v1/roi/${path}`)
      .query({ ...PERIOD, ...query })
      .set('Authorization', `Bearer ${key}`);
  const stream = scriptedStream(TENANT);
  const ledgerTotals = async () =>
    await ds.query<{ kind: string; sum: string; n: number }[]>(
      `SELECT kind, sum(amount_minor)::text AS sum, count(*)::int AS n FROM ledger_entry WHERE tenant_id = $1 GROUP BY kind ORDER BY kind`,
      [TENANT],
    );
  let reportAll: Record<string, unknown>;

  beforeAll(async () => {
    ({ app } = await createServiceApp(AppModule.register({ env: serviceTestEnv(infra, prefix, { LOG_LEVEL: 'error', ROI_MAX_EVENT_AMOUNT_MINOR_BY_TENANT: `${BIG}=6000000000000000` }) }), manifest));
    bus = app.get(MessageBus);
    ds = app.get(DataSource);
    key = await grantTestKey(bus, TENANT);
    await waitFor('tenant key', async () => (await get('reports')).status === 200, 30000);
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor(manifest.service, prefix.replace(/[^a-z0-9_]/g, '_')));
  });

  it('after a scripted stream, the ledger totals equal the sums of the events to the fen, attributed as documented', async () => {
    await bus.publish('events.clean.v1', stream);
    const res = await waitFor(
      'the whole stream in the ledger',
      async () => {
        const r = await get('reports', { dimension: 'session' });
        const s = (k: string) => r.body.rows.find((x: { key: string }) => x.key === k);
        return r.status === 200 &&
          r.body.totals.cost.totalMinor === EXPECTED.totals.cost.totalMinor &&
          s('ls-2')?.revenue.grossPaidMinor === 39_800 &&
          s('ls-1')?.cost.commissionMinor === 3_980
          ? r
          : null;
      },
      45000,
      200,
    );
    const body = res.body;
    reportAll = body.totals;
    // 1. the ledger equals the sums of the events, computed here straight from the stream
    const paid = stream
      .filter((e) => e.type === 'order.paid')
      .reduce((s, e) => s + (e.payload as { amount: { amountMinor: number } }).amount.amountMinor, 0);
    const refunded = stream
      .filter((e) => e.type === 'order.refunded')
      .reduce((s, e) => s + (e.payload as { amount: { amountMinor: number } }).amount.amountMinor, 0);
    const costOf = (type: string) =>
      stream
        .filter((e) => e.type === type)
        .reduce((s, e) => s + ((e.payload as { amount?: { amountMinor: number } }).amount?.amountMinor ?? 0), 0);
    const discounts = stream
      .filter((e) => e.type === 'order.paid')
      .reduce((s, e) => s + ((e.payload as { discount?: { amountMinor: number } }).discount?.amountMinor ?? 0), 0);
    expect(body.totals.revenue.grossPaidMinor).toBe(paid);
    expect(body.totals.revenue.refundedMinor).toBe(refunded);
    expect(body.totals.cost.adSpendMinor).toBe(costOf('cost.ad_spend'));
    expect(body.totals.cost.streamerFeeMinor).toBe(costOf('cost.streamer_fee'));
    expect(body.totals.cost.couponMinor).toBe(discounts);
    // 2. and the hand computation, including rate-derived costs
    expect(body.totals).toMatchObject(EXPECTED.totals);
    expect(body.totals.roi).toBeCloseTo(42_400 / 269_334, 12);
    const rows = await ledgerTotals();
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, Number(r.sum)]));
    expect(byKind).toEqual({
      revenue: 75_600,
      refund: -33_200,
      coupon: 2_000,
      ad_spend: 80_000,
      streamer_fee: 180_000,
      commission: 3_980,
      platform_fee: 3_354,
    });
    // 3. attribution: direct where the event names the session, the last room entered within 24 h otherwise
    for (const [k, exp] of Object.entries(EXPECTED.sessions)) {
      const row = body.rows.find((x: { key: string }) => x.key === k);
      expect({ k, net: row.revenue.netMinor, cost: row.cost.totalMinor, entries: row.traffic.roomEntries }).toEqual({
        k,
        net: exp.net,
        cost: exp.cost,
        entries: exp.roomEntries,
      });
    }
    const [o2] = await ds.query<{ session_id: string; streamer_id: string; attribution: string }[]>(
      `SELECT session_id, streamer_id, attribution FROM ledger_entry WHERE tenant_id = $1 AND kind = 'revenue' AND order_id = 'o-2'`,
      [TENANT],
    );
    expect(o2).toEqual({ session_id: 'ls-2', streamer_id: 's-2', attribution: 'window' });
    const [o3] = await ds.query<{ session_id: string | null; attribution: string }[]>(
      `SELECT session_id, attribution FROM ledger_entry WHERE tenant_id = $1 AND kind = 'revenue' AND order_id = 'o-3'`,
      [TENANT],
    );
    expect(o3).toEqual({ session_id: null, attribution: 'none' });
    expect(body.computation.ledgerRowsInPeriod).toBe(rows.reduce((s, r) => s + r.n, 0));
    expect(body.computation.roi).toContain('R / C');

    // coalesced notices on roi.updated.v1 name the sessions
    const msgs = (await readTopic(infra.kafkaBrokers, `${prefix}roi.updated.v1`, 10_000, 4000)).map(
      (m) => JSON.parse(m.value) as { type: string; tenantId: string; payload: { dimension: string; keys: string[] } },
    );
    const sessionNotices = msgs.filter((m) => m.type === 'roi.updated' && m.tenantId === TENANT && m.payload.dimension === 'session');
    const named = new Set(sessionNotices.flatMap((m) => m.payload.keys));
    expect([...named].sort()).toEqual(['ls-1', 'ls-2']);
    // coalesced: fewer session notices than events naming a session
    expect(sessionNotices.length).toBeLessThan(stream.filter((e) => e.liveSessionId).length);
  });

  it('changes nothing when the stream is delivered again', async () => {
    const before = await ledgerTotals();
    await bus.publish('events.clean.v1', stream);
    // one marker per partition key, published after the replay: once all are in, the replay was consumed
    const keys = new Map<string, CanonicalEvent>();
    for (const e of stream) keys.set(`${e.liveSessionId ?? e.userId ?? e.streamerId ?? ''}`, e);
    const markers = [...keys.values()].map((e, i) =>
      event(
        TENANT,
        `marker-${i}`,
        'live.product.clicked',
        T0,
        { position: 9 },
        { userId: e.userId, liveSessionId: e.liveSessionId, streamerId: e.streamerId },
      ),
    );
    await bus.publish('events.clean.v1', markers);
    await waitFor(
      'markers applied',
      async () => {
        const [{ n }] = await ds.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM funnel_fact WHERE tenant_id = $1 AND event_id LIKE '%marker-%'`,
          [TENANT],
        );
        return n === markers.length;
      },
      30000,
      200,
    );
    expect(await ledgerTotals()).toEqual(before);
    expect((await get('reports', { dimension: 'all' }).expect(200)).body.totals).toEqual(reportAll);
  });

  it('serves the funnel, with kept-after-refund-window orders, as JSON, CSV and SVG charts', async () => {
    const f = (await get('funnel', { dimension: 'all', asOf: AS_OF }).expect(200)).body;
    expect(f.totals).toMatchObject({ ...EXPECTED.funnel, productClicks: f.totals.productClicks });
    expect(f.totals.productClicks).toBeGreaterThanOrEqual(EXPECTED.funnel.productClicks); // + the replay markers
    expect(f.totals.steps.map((s: { step: string }) => s.step)).toEqual([
      'impressions',
      'room entries',
      'product clicks',
      'orders',
      'paid',
      'kept after refund window',
    ]);
    expect(f.totals.steps[1]).toMatchObject({ count: 6, unit: 'visits', conversionFromPrevious: null }); // impressions → visits: a unit change
    expect(f.totals.steps[4].conversionFromPrevious).toBe(1); // 4 paid of the cohort of 4 orders
    expect(f.totals.steps[5].conversionFromPrevious).toBe(0.5);
    expect(f.computation.orders).toContain('paidWithoutCreated');
    // the funnel by session counts each order once, in its attributed session: ls-2 has o-2 (window) and o-4, created ≥ paid
    const bySession = (await get('funnel', { dimension: 'session', asOf: AS_OF }).expect(200)).body.rows;
    const ls2 = bySession.find((r: { key: string }) => r.key === 'ls-2');
    expect(ls2).toMatchObject({ ordersCreated: 2, paidOrders: 2, refundedOrders: 2, keptOrders: 0 });
    for (const r of bySession) expect(r.ordersCreated).toBeGreaterThanOrEqual(r.paidOrders);
    // by channel: room entries and clicks carry no channel, so those steps are null with the reason
    const byChannel = (await get('funnel', { dimension: 'channel', asOf: AS_OF }).expect(200)).body;
    const douyin = byChannel.rows.find((r: { key: string }) => r.key === 'douyin-ads');
    expect(douyin).toMatchObject({ impressions: 20_000, roomEntries: null, productClicks: null, ordersCreated: 2, paidOrders: 2 });
    expect(douyin.steps[1].note).toContain('carry no channel');
    // asOf applies to refunds too: before o-2's refund (T0 + 2 d) it is still paid and pending
    const early = (await get('funnel', { dimension: 'all', asOf: new Date(T0 + 86_400_000).toISOString() }).expect(200)).body.totals;
    expect(early).toMatchObject({ paidOrders: 4, refundedOrders: 0, keptOrders: 0, pendingOrders: 4 });
    // the CSV for dimension=all holds the total once
    const allCsv = (await get('reports', { dimension: 'all', format: 'csv' }).expect(200)).text.trim().split('\r\n');
    expect(allCsv).toHaveLength(2);
    const fAllCsv = (await get('funnel', { dimension: 'all', format: 'csv', asOf: AS_OF }).expect(200)).text.trim().split('\r\n');
    expect(fAllCsv).toHaveLength(2);
    const csv = await get('reports', { dimension: 'channel', format: 'csv' }).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toContain('revenue.netMinor');
    expect(lines.some((l) => l.includes('douyin-ads'))).toBe(true);
    expect(lines[lines.length - 1]).toContain('TOTAL');
    const svg = await http()
      .get('/v1/roi/charts/roi.svg')
      .query(PERIOD)
      .set('Authorization', `Bearer ${key}`)
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      });
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(String(svg.body)).toContain('2026-11-02'); // the day of T0 (local)
    const fsvg = await http()
      .get('/v1/roi/charts/funnel.svg')
      .query(PERIOD)
      .set('Authorization', `Bearer ${key}`)
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      });
    expect(String(fsvg.body)).toContain('kept after refund window');
  });

  it('answers factors, budget plan and A/B with their computation, and validates input', async () => {
    const fac = (await get('factors').expect(200)).body;
    expect(fac.sample.visits).toBe(6);
    expect(fac.sample).toMatchObject({ totalVisits: 6, capped: false, seed: 1 });
    expect(fac.penalty).toMatchObject({ lambda: 1, penalised: true });
    expect(fac.penalty.note).toContain('?lambda=0');
    expect((await get('factors', { lambda: '0' }).expect(200)).body.penalty.penalised).toBe(false);
    expect(fac.fit).toBeNull(); // 6 visits: too few, says why
    expect(fac.reason).toContain('too few');
    const plan = (
      await http()
        .post('/v1/roi/budget-plan')
        .set('Authorization', `Bearer ${key}`)
        .send({ ...PERIOD, totalBudgetMinor: 100_000 })
        .expect(201)
    ).body;
    expect(plan.curves.map((c: { channel: string }) => c.channel)).toEqual(['douyin-ads', 'kuaishou-ads']);
    expect(plan.curves[0].excludedReason).toContain('fewer than 3');
    expect(plan.plan).toBeNull();
    expect(plan).toMatchObject({ breakEven: null, stoppedAtBreakEven: false, fullBudgetPlan: null });
    const ab = (
      await http()
        .post('/v1/roi/ab-test')
        .set('Authorization', `Bearer ${key}`)
        .send({ a: { dimension: 'session', keys: ['ls-1'], ...PERIOD }, b: { dimension: 'session', keys: ['ls-2'], ...PERIOD } })
        .expect(201)
    ).body;
    // ls-1: entrants u-1, u-2, u-3 → buyer u-1; ls-2: u-2, u-4, u-5 → buyers u-2 (window), u-4
    expect(ab.groups.map((g: { trials: number; conversions: number }) => [g.trials, g.conversions])).toEqual([
      [3, 1],
      [3, 2],
    ]);
    expect(ab.test.difference).toBeCloseTo(1 / 3, 12);
    // 3 trials per group: expected cells < 5, so Fisher's exact test ran, and the answer says so
    expect(ab.test.testUsed).toBe("Fisher's exact test (two-sided)");
    expect(ab.test.pValue).toBeCloseTo(1, 12); // fisher.test(matrix(c(1, 2, 2, 1), 2)) → p = 1
    expect(ab.test.confidenceInterval.method).toContain('Newcombe');
    expect(ab.test.significant).toBe(false);
    await http()
      .post('/v1/roi/ab-test')
      .set('Authorization', `Bearer ${key}`)
      .send({ a: { trials: 1, conversions: 2 }, b: { trials: 5, conversions: 1 } })
      .expect(400);
    await get('reports', { dimension: 'planet' }).expect(400);
    await get('reports', { from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }).expect(400);
    await http().get('/v1/roi/reports').expect(401);
  });

  it('honours user.erased: the user id leaves the ledger, the money totals stay', async () => {
    const now = new Date().toISOString();
    await bus.publish('privacy.erasure.v1', [
      {
        eventId: `erase-u-1-${prefix}`,
        tenantId: TENANT,
        type: 'user.erased',
        source: 'livepromo',
        occurredAt: now,
        receivedAt: now,
        userId: 'u-1',
        schemaVersion: 1,
        payload: {},
      },
    ]);
    await waitFor(
      'u-1 pseudonymised',
      async () => {
        const [{ n }] = await ds.query<{ n: string }[]>(
          `SELECT (SELECT count(*) FROM ledger_entry WHERE tenant_id = $1 AND user_id = 'u-1') + (SELECT count(*) FROM funnel_fact WHERE tenant_id = $1 AND user_id = 'u-1') AS n`,
          [TENANT],
        );
        return Number(n) === 0;
      },
      30000,
      200,
    );
    const after = (await get('reports', { dimension: 'all' }).expect(200)).body.totals;
    expect(after).toEqual(reportAll); // distinct paying users unchanged too: the pseudonym is consistent
    const [{ n }] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ledger_entry WHERE tenant_id = $1 AND user_id LIKE 'erased:%'`,
      [TENANT],
    );
    expect(n).toBeGreaterThan(0);
  });

  it('attributes an order to a room entry that arrives after it, and recomputes the commission that follows', async () => {
    const t = 'tenant-roi-late';
    const row = async () =>
      (
        await ds.query<{ session_id: string | null; attribution: string }[]>(
          `SELECT session_id, attribution FROM ledger_entry WHERE tenant_id = $1 AND kind = 'revenue' AND order_id = 'o-9'`,
          [t],
        )
      )[0];
    await bus.publish('events.clean.v1', [
      event(
        t,
        'p9',
        'order.paid',
        T0 + 2 * 3_600_000,
        { orderId: 'o-9', amount: { amountMinor: 10_000, currency: 'CNY' } },
        { userId: 'u-9' },
      ),
      event(t, 'c9', 'cost.commission', T0, { rate: 0.1 }, { liveSessionId: 'ls-7', streamerId: 's-7' }),
    ]);
    expect(await waitFor('o-9 unattributed', async () => (await row())?.attribution === 'none' && (await row()), 30000, 200)).toEqual({
      session_id: null,
      attribution: 'none',
    });
    await bus.publish('events.clean.v1', [
      event(t, 'e9', 'live.room.entered', T0 + 3_600_000, {}, { userId: 'u-9', liveSessionId: 'ls-7', streamerId: 's-7' }),
    ]);
    await waitFor('o-9 attributed to ls-7 by the window', async () => (await row())?.attribution === 'window', 30000, 200);
    expect(await row()).toEqual({ session_id: 'ls-7', attribution: 'window' });
    const commission = await waitFor(
      'commission on o-9',
      async () =>
        (
          await ds.query<{ amount_minor: string; session_id: string }[]>(
            `SELECT amount_minor, session_id FROM ledger_entry WHERE tenant_id = $1 AND kind = 'commission'`,
            [t],
          )
        )[0],
      30000,
      200,
    );
    expect(commission).toEqual({ amount_minor: '1000', session_id: 'ls-7' });
  });
  it('discounts bot traffic announced by cleaning: cumulative totals, the largest wins whatever the order', async () => {
    const notice = (total: number, entries: number, at: number) =>
      ({
        eventId: `bot-ls-1-${total}`,
        tenantId: TENANT,
        type: 'session.bot_traffic.counted',
        source: 'livepromo',
        occurredAt: new Date(at).toISOString(),
        receivedAt: new Date(at).toISOString(),
        schemaVersion: 1,
        liveSessionId: 'ls-1',
        payload: { botEventsTotal: total, botUsersTotal: 2, bySignal: { rate: total }, byType: { 'live.room.entered': entries, 'live.like': total - entries } },
      }) as EventOf<'session.bot_traffic.counted'>;
    // 5 first, then an older 3 arriving late, then 5 again (redelivery): 5 stands
    await bus.publish('events.quality.v1', [notice(5, 1, T0 + 2000), notice(3, 1, T0 + 1000), notice(5, 1, T0 + 2000)]);
    const row = await waitFor(
      'bot traffic of ls-1 in the session report',
      async () => {
        const r = await get('reports', { dimension: 'session' }).expect(200);
        const s = r.body.rows.find((x: { key: string }) => x.key === 'ls-1');
        return s?.traffic.botEvents === 5 ? s : null;
      },
      30000,
      200,
    );
    const entries = EXPECTED.sessions['ls-1'].roomEntries;
    expect(row.traffic).toEqual({
      roomEntries: entries,
      botRoomEntries: 1,
      rawRoomEntries: entries + 1,
      botDiscountedRoomEntries: entries,
      botShareOfRoomEntries: 1 / (entries + 1),
      botEvents: 5,
      botUsers: 2,
      botSessions: 1,
    });
    // a later, larger total replaces it; ls-2 never had bot traffic
    await bus.publish('events.quality.v1', [notice(3, 1, T0), notice(9, 2, T0 + 3000)]);
    const all = await waitFor(
      'the larger total in the all-row',
      async () => {
        const r = await get('reports', { dimension: 'all' }).expect(200);
        return r.body.totals.traffic.botEvents === 9 ? r.body : null;
      },
      30000,
      200,
    );
    expect(all.totals.traffic).toMatchObject({ botEvents: 9, botRoomEntries: 2, botSessions: 1 });
    expect(all.computation.botDiscountedTraffic).toMatch(/session.bot_traffic.counted/);
    const ls2 = (await get('reports', { dimension: 'session' }).expect(200)).body.rows.find((x: { key: string }) => x.key === 'ls-2');
    expect(ls2.traffic).toMatchObject({ botEvents: 0, botSessions: 0, botShareOfRoomEntries: 0 });
    const [stored] = await ds.query<{ bot_events: string }[]>(`SELECT bot_events::text FROM bot_traffic WHERE tenant_id = $1 AND session_id = 'ls-1'`, [TENANT]);
    expect(stored.bot_events).toBe('9');
  });

  it('sums money exactly beyond 2^53 (two order.paid of 5e15 fen) and dead-letters implausible amounts with their reason', async () => {
    const bigKey = await grantTestKey(bus, BIG);
    const paid = (tenant: string, id: string, amountMinor: number) =>
      event(tenant, id, 'order.paid', T0 + 3_600_000, { orderId: `o-${id}`, amount: { amountMinor, currency: 'CNY' }, channel: 'douyin-ads' }, {
        userId: `u-${id}`,
        liveSessionId: 'ls-big',
        streamerId: 's-big',
      });
    await bus.publish('events.clean.v1', [
      paid(BIG, 'b1', 5e15),
      paid(BIG, 'b2', 5e15),
      paid(BIG, 'b3', 7e15), // above this tenant's cap of 6e15
      paid(TENANT, 'x1', 2e9), // above the default cap of 1e9 fen (10 000 000 yuan)
    ]);
    const getBig = (path: string, query: Record<string, string> = {}) =>
      http()
        .get(`/v1/roi/${path}`)
        .query({ ...PERIOD, ...query })
        .set('Authorization', `Bearer ${bigKey}`);
    const body = await waitFor(
      'the two large payments in the report',
      async () => {
        const r = await getBig('reports', { dimension: 'all' });
        return r.status === 200 && r.body.totals.sample.paidOrders === 2 ? r.body : null;
      },
      30000,
      200,
    );
    // 1e16 > 2^53: an exact decimal string, not a rounded number and not a 500
    expect(body.totals.revenue.grossPaidMinor).toBe('10000000000000000');
    expect(body.totals.revenue.netMinor).toBe('10000000000000000');
    expect(body.totals.revenue.attributedMinor).toBe('10000000000000000');
    expect(body.totals.netProfitMinor).toBe('10000000000000000');
    expect(body.totals.cost.totalMinor).toBe(0);
    expect(body.totals.customerAcquisitionCostMinor).toBe(0);
    for (const dim of ['session', 'streamer', 'course', 'channel', 'day']) {
      const r = await getBig('reports', { dimension: dim }).expect(200);
      expect(r.body.totals.revenue.netMinor).toBe('10000000000000000');
      const csv = await getBig('reports', { dimension: dim, format: 'csv' }).expect(200);
      expect(csv.text).toContain(',10000000000000000,');
    }
    await getBig('charts/roi.svg').expect(200);
    await getBig('funnel', { dimension: 'all' }).expect(200);
    // the implausible ones went to the DLQ with the reason, nothing lost
    const letters = (await readTopic(infra.kafkaBrokers, `${prefix}events.dlq.v1`, 2, 20000)).map(
      (m) => JSON.parse(m.value) as { reason: string; eventId: string; tenantId: string; service: string; details: { capMinor: number } },
    );
    expect(letters.map((l) => [l.eventId, l.reason, l.service, l.details.capMinor]).sort()).toEqual([
      [`${BIG}-b3`, 'implausible_amount', 'roi', 6e15],
      [`${TENANT}-x1`, 'implausible_amount', 'roi', 1e9],
    ]);
    const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ledger_entry WHERE event_id IN ($1, $2)`, [
      `${BIG}-b3`,
      `${TENANT}-x1`,
    ]);
    expect(n).toBe(0);
  });
});
