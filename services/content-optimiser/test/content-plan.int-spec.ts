import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CanonicalEvent } from '@livepromo/contracts';
import { MessageBus } from '@livepromo/messaging';
import { createServiceApp } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, grantTestKey, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { manifest } from '../src/service.manifest';

describeWithInfra('content-optimiser content plans over real Kafka and Postgres', (infra) => {
  const prefix = uniquePrefix('coPlan');
  const env = serviceTestEnv(infra, prefix);
  const tenantId = 'co-plan';
  const T0 = Date.parse('2026-11-20T06:00:00.000Z');
  let app: INestApplication;
  let key: string;
  let n = 0;
  const ev = (type: string, userId: string, payload: Record<string, unknown>, ids: Record<string, string> = {}): CanonicalEvent => {
    const at = new Date(T0 + ++n * 1000).toISOString();
    return { eventId: `plan-${n}`, tenantId, type, source: 'generic', occurredAt: at, receivedAt: at, schemaVersion: 1, userId, payload, ...ids } as CanonicalEvent;
  };
  const view = (userId: string, topics: string[]) => ev('course.viewed', userId, { category: 'programming', topics }, { courseId: 'c-py' });
  const asked = (userId: string, text: string, intent: string) =>
    ev('comment.classified', userId, { commentEventId: `cm-${n + 1}`, text, intent, intentScore: 0.9, sentiment: 'neutral', sentimentScore: 0, model: 'test@1' }, { liveSessionId: 'ls-plan' });
  const segmentA = Array.from({ length: 10 }, (_, i) => `a${i}`);
  const others = Array.from({ length: 20 }, (_, i) => `o${i}`);
  // segment A cares about data analysis; everyone else about the basics and scraping
  const views = [
    ...segmentA.map((u, i) => view(u, i < 2 ? ['programming/data-analysis', 'programming/python-basics'] : ['programming/data-analysis'])),
    ...others.map((u, i) => view(u, i < 10 ? ['programming/python-basics', 'programming/web-scraping'] : ['Programming/Python-Basics'])),
  ];
  const questions = [
    ...segmentA.slice(0, 6).map((u, i) => asked(u, i % 2 ? '数据分析要学多久？' : '数据分析 要学多久?', 'course_content')),
    ...segmentA.slice(0, 2).map((u) => asked(u, '多少钱', 'price_question')),
    ...others.map((u) => asked(u, '怎么买', 'how_to_buy')),
    asked('a9', '主播好帅', 'praise'),
  ];
  const http = () => request(app.getHttpServer());
  const plan = (body: unknown) => http().post('/v1/content-plans').set('Authorization', `Bearer ${key}`).send(body as object);

  beforeAll(async () => {
    ({ app } = await createServiceApp(AppModule.register({ env }), manifest));
    key = await grantTestKey(app.get(MessageBus), tenantId);
    await waitFor('tenant key', async () => (await http().get('/v1/bandit/arms').set('Authorization', `Bearer ${key}`)).status === 200);
    const bus = app.get(MessageBus);
    await bus.publish('events.clean.v1', views);
    await bus.publish('comments.classified.v1', questions as never);
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor(manifest.service, env.LIVEPROMO_SCHEMA_PREFIX));
  });

  const counts = async () => {
    const ds = app.get(DataSource);
    const [r] = await ds.query<{ views: number; viewers: number; questions: number }[]>(
      `SELECT (SELECT coalesce(sum(views), 0)::int FROM user_topic) AS views, (SELECT count(*)::int FROM course_topic_viewer) AS viewers,
              (SELECT count(*)::int FROM asked_question) AS questions`,
    );
    return r;
  };

  it('orders the agenda by the segment, schedules interactions from the bandit and lists the questions it asks', async () => {
    await waitFor('audience tables filled', async () => {
      const c = await counts();
      return c.questions === 28 && c.views === 12 + 30;
    });
    // the bandit learned that a course demo answers engagement drops in programming sessions
    await app.get(DataSource).query(
      `INSERT INTO bandit_arm (tenant_id, category, trigger, strategy, alpha, beta, pulls) VALUES ($1, 'programming', 'engagement_drop', 'course_demo', 8, 2, 8), ($1, 'programming', 'engagement_drop', 'lottery', 2, 6, 6)`,
      [tenantId],
    );
    const res = await plan({ courseId: 'c-py', streamerId: 's-1', segment: { segmentId: 'data-fans', userIds: segmentA }, durationMin: 60 }).expect(200);
    const body = res.body;
    expect(body.category).toBe('programming');
    expect(body.segment).toEqual({ segmentId: 'data-fans', users: 10, knownUsers: 10 });
    // topics normalised (case) and ordered by segment A's interest: data analysis first
    expect(body.agenda.map((a: { topic: string }) => a.topic)).toEqual(['programming/data-analysis', 'programming/python-basics', 'programming/web-scraping']);
    expect(body.agenda[0].evidence).toEqual({ segmentUsers: 10, segmentKnownUsers: 10, courseViewers: 10, categoryWeight: 1 });
    expect(body.sample).toMatchObject({ courseTopics: 3, courseViewers: 22, banditPulls: 14, timingFrom: 'category' });
    const drop = body.interactions.find((i: { trigger: string }) => i.trigger === 'engagement_drop');
    expect(drop).toMatchObject({ strategy: 'course_demo', expectedSuccess: 0.8, pulls: 8 });
    // the segment's questions, grouped across spelling (six askers), then price; never praise or others' questions
    expect(body.questionsFrom).toBe('segment');
    expect(body.questions[0]).toMatchObject({ intent: 'course_content', askedBy: 6, times: 6 });
    expect(body.questions.map((q: { intent: string }) => q.intent)).toEqual(['course_content', 'price_question']);
    expect(body.howComputed.agenda).toMatch(/interest/);

    // without the segment, the course's viewers decide: the basics first, and the questions come from the category's sessions
    const all = (await plan({ courseId: 'c-py', durationMin: 60 }).expect(200)).body;
    expect(all.agenda[0].topic).toBe('programming/python-basics');
  });

  it('applies a redelivered batch once', async () => {
    const before = await counts();
    const bus = app.get(MessageBus);
    await bus.publish('events.clean.v1', views);
    await bus.publish('comments.classified.v1', questions as never);
    // a marker after the redelivery: once it is in, the redelivery was consumed
    const marker = view('marker-user', ['programming/marker']);
    await bus.publish('events.clean.v1', [marker] as never);
    await waitFor('marker applied', async () => (await counts()).views === before.views + 1);
    expect(await counts()).toEqual({ views: before.views + 1, viewers: before.viewers + 1, questions: before.questions });
  });

  it('answers unknown courses, bad input and foreign keys with clear errors', async () => {
    const unknown = await plan({ courseId: 'c-nope' }).expect(404);
    expect(unknown.body.error.code).toBe('not_found');
    expect(unknown.body.error.message).toMatch(/c-nope.*category/);
    // a category alone is enough to plan (empty agenda, with a warning)
    const byCategory = (await plan({ courseId: 'c-new', category: 'writing' }).expect(200)).body;
    expect(byCategory.agenda).toEqual([]);
    expect(byCategory.warnings.join(' ')).toMatch(/no topics/);
    expect((await plan({ courseId: 'c-py', durationMin: 5 }).expect(400)).body.error.code).toBe('validation_failed');
    expect((await plan({ courseId: 'c-py', surprise: 1 }).expect(400)).body.error.code).toBe('validation_failed');
    expect((await plan({ courseId: 'c-py', segment: { interests: { cooking: 1 } } }).expect(400)).body.error.code).toBe('validation_failed');
    await http().post('/v1/content-plans').send({ courseId: 'c-py' }).expect(401);
  });

  it('forgets an erased user', async () => {
    await app.get(MessageBus).publish('privacy.erasure.v1', [
      { eventId: 'erase-a0', tenantId, type: 'user.erased', source: 'livepromo', occurredAt: new Date().toISOString(), receivedAt: new Date().toISOString(), schemaVersion: 1, userId: 'a0', payload: {} },
    ] as never);
    const ds = app.get(DataSource);
    await waitFor('a0 erased', async () => {
      const [r] = await ds.query<{ n: number }[]>(
        `SELECT ((SELECT count(*) FROM user_topic WHERE user_id = 'a0') + (SELECT count(*) FROM asked_question WHERE user_id = 'a0') + (SELECT count(*) FROM course_topic_viewer WHERE user_id = 'a0'))::int AS n`,
      );
      return r.n === 0;
    });
    const body = (await plan({ courseId: 'c-py', segment: { userIds: segmentA } }).expect(200)).body;
    expect(body.segment.knownUsers).toBe(9);
  });
});
