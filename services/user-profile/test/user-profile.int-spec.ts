import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Cache } from '@livepromo/cache';
import { CanonicalEvent } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { createServiceApp } from '@livepromo/service-kit';
import { describeWithInfra, grantTestKey, readTopic, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';
import { AS_OF, event, EXPECTED_U1, HALF_LIFE_DAYS, secondUser, sessionStart, userHistory } from './scripted-history';

describeWithInfra('user-profile over real Kafka, Postgres and Redis', (infra) => {
  const prefix = uniquePrefix('userprofile');
  let app: INestApplication;
  let bus: MessageBus;
  let keyA: string;
  let keyB: string;
  let profileA: Record<string, unknown>;
  const http = () => request(app.getHttpServer());
  const getProfile = (key: string, userId: string, asOf = AS_OF) =>
    http().get(`/v1/profiles/${userId}`).query({ asOf }).set('Authorization', `Bearer ${key}`);
  /** One partition key per script, so the scripted order is the delivery order. */
  const publish = (events: CanonicalEvent[], key: string) => bus.publish('events.clean.v1', events, { key });
  let markers = 0;
  /** Publishes a marker behind `key`'s events and waits until it is applied: everything before it was consumed. */
  async function drain(tenantId: string, authKey: string, key: string): Promise<void> {
    const id = `marker-${++markers}`;
    await publish([event(tenantId, `m-${id}`, 'course.viewed', AS_OF, {}, { userId: id })], key);
    await waitFor(`marker ${id}`, async () => (await getProfile(authKey, id)).status === 200, 30000);
  }

  beforeAll(async () => {
    ({ app } = await createServiceApp(
      AppModule.register({ env: serviceTestEnv(infra, prefix, { USER_PROFILE_HALF_LIFE_DAYS: String(HALF_LIFE_DAYS) }) }),
      manifest,
    ));
    bus = app.get(MessageBus);
    keyA = await grantTestKey(bus, 'tenant-a');
    keyB = await grantTestKey(bus, 'tenant-b');
    for (const key of [keyA, keyB]) {
      await waitFor('tenant key', async () => (await http().get('/v1/score-weights').set('Authorization', `Bearer ${key}`)).status === 200, 30000);
    }
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor(manifest.service, prefix.replace(/[^a-z0-9_]/g, '_')));
  });

  it('builds from a scripted history a profile whose every field matches the hand computation', async () => {
    await publish([sessionStart('tenant-a'), ...userHistory('tenant-a'), ...secondUser('tenant-a')], 'tenant-a:script');
    const res = await waitFor('u-1 with 12 events', async () => {
      const r = await getProfile(keyA, 'u-1');
      return r.status === 200 && r.body.sample.eventsApplied === 12 ? r : null;
    }, 30000);
    const v = res.body;
    profileA = v;
    expect(v.userId).toBe('u-1');
    expect(v.asOf).toBe(AS_OF);
    // interests
    const cat = Object.fromEntries(v.interests.categories.map((c: { category: string; affinity: number }) => [c.category, c.affinity]));
    expect(Object.keys(cat)).toEqual(['programming', 'writing', 'design']);
    expect(cat.programming).toBeCloseTo(EXPECTED_U1.categories.programming, 6);
    expect(cat.writing).toBeCloseTo(EXPECTED_U1.categories.writing, 6);
    expect(cat.design).toBeCloseTo(EXPECTED_U1.categories.design, 6);
    expect(v.interests.topics).toEqual([{ topic: 'programming/python', affinity: 0.25 }]);
    expect(v.interests.topCategory).toBe('programming');
    expect(v.interests.unattributedAffinity).toBe(0);
    expect(v.interests.computation.halfLifeDays).toBe(10);
    // purchase habits
    const p = v.purchaseHabits;
    expect(p.rfm).toMatchObject({
      recencyDays: 5,
      frequency: 2,
      monetaryMinor: 19_900,
      scores: { r: 5, f: 2, m: 1 },
      segment: 'promising',
      lastPaidAt: '2026-11-16T00:00:00.000Z',
      firstPaidAt: '2026-11-11T12:00:00.000Z',
    });
    expect(p).toMatchObject({
      paidOrders: 2,
      paidMinor: 24_900,
      refundedMinor: 5_000,
      refunds: 1,
      averageOrderValueMinor: 12_450,
      currency: 'CNY',
      discountSensitivity: { discountedOrderShare: 0.5, averageDiscountRate: 0.074349, couponClaims: 1 },
      refundRate: 0.5,
      preferredBuyingHours: [8, 20],
      priceBand: { preferred: 'low', counts: { low: 1, mid: 1, high: 0 } },
    });
    expect(p.buyingHourHistogram.reduce((a: number, b: number) => a + b, 0)).toBe(2);
    // interaction frequency
    expect(v.interaction).toMatchObject({
      liveSessionsAttended: 1,
      roomEntries: 1,
      watchEvents: 1,
      totalWatchSec: 600,
      averageWatchSec: 600,
      commentsPerWatchedMinute: 0.1,
      likesPerWatchedMinute: 0.4,
      sharesPerWatchedMinute: 0.1,
      counts: { views: 1, searches: 1, comments: 1, likes: 4, shares: 1, follows: 1, couponClaims: 1, roomEntries: 1, watchEvents: 1 },
    });
    expect(v.interaction.favouriteStreamers).toEqual([{ streamerId: 's-1', score: expect.closeTo(EXPECTED_U1.favouriteStreamer, 6) }]);
    // behaviour score with its computation
    expect(v.behaviourScore.weightsSource).toBe('default');
    for (const [name, contribution] of Object.entries(EXPECTED_U1.score)) {
      expect(v.behaviourScore.terms.find((t: { name: string }) => t.name === name).contribution).toBeCloseTo(contribution, 6);
    }
    expect(v.behaviourScore.value).toBeCloseTo(2.308838, 5);
    expect(v.segments).toEqual(['rfm:promising', 'interest:programming']);
    expect(v.sample).toEqual({ eventsApplied: 12, firstSeenAt: '2026-11-01T00:00:00.000Z', lastSeenAt: '2026-11-17T00:00:00.000Z' });

    // coalesced notices: fewer messages than events, naming both users
    const notices = await readTopic(infra.kafkaBrokers, `${prefix}profiles.updated.v1`, 1);
    const values = notices.map((n) => JSON.parse(n.value) as { tenantId: string; type: string; payload: { userIds: string[]; version: number } });
    expect(values.length).toBeGreaterThan(0);
    expect(values.length).toBeLessThan(14);
    expect(values.every((x) => x.type === 'profile.updated' && x.tenantId === 'tenant-a')).toBe(true);
    await waitFor('notices for u-1 and u-2', async () => {
      const all = (await readTopic(infra.kafkaBrokers, `${prefix}profiles.updated.v1`, 2, 3000)).flatMap((n) => (JSON.parse(n.value) as { payload: { userIds: string[] } }).payload.userIds);
      return all.includes('u-1') && all.includes('u-2');
    }, 20000, 200);
  });

  it('changes nothing when the same events are delivered again', async () => {
    await publish([sessionStart('tenant-a'), ...userHistory('tenant-a'), ...secondUser('tenant-a')], 'tenant-a:script');
    await drain('tenant-a', keyA, 'tenant-a:script');
    const again = await getProfile(keyA, 'u-1').expect(200);
    expect(again.body).toEqual(profileA);
  });

  it('gives the same profile when the events arrive out of order, in several batches', async () => {
    const h = userHistory('tenant-b');
    const shuffled = [h[8], h[6], h[11], h[1], h[5], h[9], h[0], h[3], h[10], h[7], h[2], h[4]];
    await publish([sessionStart('tenant-b')], 'tenant-b:script');
    for (let i = 0; i < shuffled.length; i += 4) {
      await publish(shuffled.slice(i, i + 4), 'tenant-b:script');
      await drain('tenant-b', keyB, 'tenant-b:script');
    }
    const b = (await getProfile(keyB, 'u-1').expect(200)).body;
    const strip = (x: Record<string, unknown>) => ({ ...x, tenantId: undefined, version: undefined });
    expect(strip(b)).toEqual(strip(profileA));
  });

  it('applies per-tenant score weights and returns the computation', async () => {
    await http()
      .put('/v1/score-weights')
      .set('Authorization', `Bearer ${keyA}`)
      .send({ alpha: { views: 2, extra: 1 } })
      .expect(400)
      .expect((r) => expect(r.body.error.code).toBe('validation_failed'));
    const zero = { views: 1, searches: 0, comments: 0, likes: 0, shares: 0, clicks: 0, follows: 0 };
    const put = await http().put('/v1/score-weights').set('Authorization', `Bearer ${keyA}`).send({ alpha: zero, beta: 0, gamma: 0 }).expect(200);
    expect(put.body.weights).toEqual({ alpha: zero, beta: 0, gamma: 0 });
    const v = (await getProfile(keyA, 'u-1').expect(200)).body;
    expect(v.behaviourScore.weightsSource).toBe('tenant');
    expect(v.behaviourScore.value).toBeCloseTo(Math.log(1.25), 6); // 1 · ln(1 + 0.25 decayed views)
    expect(v.behaviourScore.terms[0]).toEqual({ name: 'views', coefficient: 'alpha', weight: 1, decayedValue: 0.25, input: 0.223144, contribution: 0.223144 });
    const b = (await getProfile(keyB, 'u-1').expect(200)).body;
    expect(b.behaviourScore.weightsSource).toBe('default');
  });

  it('lists segments with sizes evaluated at asOf, and pages their members', async () => {
    const now = (await http().get('/v1/segments').query({ asOf: AS_OF }).set('Authorization', `Bearer ${keyA}`).expect(200)).body;
    const size = (body: { segments: { id: string; size: number }[] }, id: string) => body.segments.find((s) => s.id === id)!.size;
    expect(now.totalProfiles).toBe(3); // u-1, u-2 and the marker viewer
    expect(size(now, 'rfm:promising')).toBe(1);
    expect(size(now, 'rfm:new')).toBe(1);
    expect(size(now, 'rfm:prospects')).toBe(1);
    expect(size(now, 'rfm:lost')).toBe(0);
    expect(size(now, 'interest:programming')).toBe(1);
    expect(size(now, 'interest:marketing')).toBe(1);

    // half a year later both buyers are "lost" without any new event
    const later = '2027-06-01T00:00:00.000Z';
    const then = (await http().get('/v1/segments').query({ asOf: later }).set('Authorization', `Bearer ${keyA}`).expect(200)).body;
    expect(size(then, 'rfm:lost')).toBe(2);
    const page1 = (await http().get('/v1/segments/rfm:lost/members').query({ asOf: later, limit: 1 }).set('Authorization', `Bearer ${keyA}`).expect(200)).body;
    expect(page1.members.map((m: { userId: string }) => m.userId)).toEqual(['u-1']);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = (await http().get('/v1/segments/rfm:lost/members').query({ asOf: later, limit: 1, cursor: page1.nextCursor }).set('Authorization', `Bearer ${keyA}`).expect(200)).body;
    expect(page2.members).toEqual([{ userId: 'u-2', version: expect.any(Number), paidOrders: 1, lastPaidAt: '2026-11-20T00:00:00.000Z', monetaryMinor: 60_000, topCategory: 'marketing' }]);
    expect(page2.nextCursor).toBeNull();
    await http().get('/v1/segments/rfm:nope/members').set('Authorization', `Bearer ${keyA}`).expect(404);
    // interest cohorts page their members too (this query answered 500 for every tenant: issue #18)
    const interest = await http().get('/v1/segments/interest:marketing/members').query({ asOf: AS_OF }).set('Authorization', `Bearer ${keyA}`);
    expect(interest.status).toBe(200);
    expect(interest.body.members.map((m: { userId: string }) => m.userId)).toEqual(['u-2']);
    const cursorPage = await http().get('/v1/segments/interest:programming/members').query({ cursor: page1.nextCursor }).set('Authorization', `Bearer ${keyA}`);
    expect(cursorPage.status).toBe(200);
    // a null byte in the cursor is 400 invalid_identifier, never 500
    const nul = await http().get('/v1/segments/rfm:lost/members?cursor=%00abc').set('Authorization', `Bearer ${keyA}`);
    expect(nul.status).toBe(400);
    expect(nul.body.error).toMatchObject({ code: 'invalid_identifier', correlationId: expect.any(String) });
  });

  it('leaves no notice queued after delivery, and the relay delivers what a crash left in the outbox', async () => {
    const ds = app.get(DataSource);
    await waitFor('outbox drained', async () => (await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM profile_outbox`))[0].n === 0, 10000);
    // as if the process died between commit and publish
    const [{ id }] = await ds.query<{ id: string }[]>(
      `INSERT INTO profile_outbox (tenant_id, user_ids, version, created_at) VALUES ('tenant-a', '["u-2"]'::jsonb, 42, now() - interval '1 minute') RETURNING id`,
    );
    await waitFor('relayed notice', async () => {
      const all = (await readTopic(infra.kafkaBrokers, `${prefix}profiles.updated.v1`, 1000, 2500)).map((n) => JSON.parse(n.value) as { eventId: string; payload: { userIds: string[]; version: number } });
      return all.some((n) => n.eventId === `profile-updated-${id}-42` && n.payload.userIds.join() === 'u-2' && n.payload.version === 42);
    }, 30000, 200);
    await waitFor('relayed row deleted', async () => (await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM profile_outbox`))[0].n === 0, 10000);
  });

  it("never shows one tenant another tenant's profile", async () => {
    await getProfile(keyB, 'u-2').expect(404);
    await http().get('/v1/profiles/u-1').expect(401);
  });

  it('erases a user: no row, no cache key, an erasure event, and old events cannot bring it back', async () => {
    const cache = app.get(Cache);
    await getProfile(keyA, 'u-1').expect(200);
    expect(await cache.get('profile:tenant-a:u-1')).not.toBeNull();

    const res = await http().delete('/v1/profiles/u-1').set('Authorization', `Bearer ${keyA}`).expect(200);
    expect(res.body).toMatchObject({ userId: 'u-1', profileRowsDeleted: 1 });

    const ds = app.get(DataSource);
    for (const table of ['profile', 'processed_event', 'live_session', 'score_weights', 'profile_outbox', 'erased_user']) {
      const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table} x WHERE x.tenant_id = 'tenant-a' AND x::text LIKE '%u-1%'`);
      expect({ table, n }).toEqual({ table, n: 0 });
    }
    expect(await cache.scan('profile:tenant-a:u-1*')).toEqual([]);
    await getProfile(keyA, 'u-1').expect(404);
    await getProfile(keyB, 'u-1').expect(200); // the other tenant's user of the same id is untouched

    const erasures = (await readTopic(infra.kafkaBrokers, `${prefix}privacy.erasure.v1`, 1)).map((m) => JSON.parse(m.value));
    expect(erasures).toEqual([expect.objectContaining({ type: 'user.erased', tenantId: 'tenant-a', userId: 'u-1', eventId: res.body.erasureEventId })]);

    // redelivery of the old history (new event ids, as after a re-import) stays erased
    const replay = userHistory('tenant-a').map((e) => ({ ...e, eventId: `re-${e.eventId}` }));
    await publish(replay, 'tenant-a:script');
    await drain('tenant-a', keyA, 'tenant-a:script');
    await getProfile(keyA, 'u-1').expect(404);
  });
});
