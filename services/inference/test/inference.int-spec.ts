import './ort-jest-realm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { MessageBus } from '@livepromo/messaging';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { createServiceApp } from '@livepromo/service-kit';
import { describeWithInfra, grantTestKey, makeEvent, readTopic, uniquePrefix, waitFor } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { ModelRegistryService } from '../src/models/application/model-registry.service';
import { generateSyntheticComments } from '../src/models/domain/synthetic-comments';
import { classifyWithTrainingCode, trainTextClassifier } from '../src/models/domain/text-classifier';
import { writeModelFolder } from '../src/models/infrastructure/model-files';
import { packageTextClassifier } from '../src/models/infrastructure/text-classifier-onnx';
import { manifest } from '../src/service.manifest';

const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789';

/** `words`: the train:model recipe for real data (jieba word n-grams, NB weights, λ grid, calibration). */
function smallModel(name: string, task: 'intent' | 'sentiment', seed: number, recipe: 'chars' | 'words' = 'chars') {
  const rows = generateSyntheticComments(800, seed).map((c) => ({ text: c.text, label: task === 'intent' ? c.intent : c.sentiment }));
  const clf = trainTextClassifier(rows, {
    featurizer:
      recipe === 'words'
        ? { kind: 'char-word-ngram-hash', dim: 4096, minN: 1, maxN: 3, seed: 0, maxChars: 2000, words: { segmenter: 'jieba', minN: 1, maxN: 2 } }
        : { kind: 'char-ngram-hash', dim: 4096, minN: 1, maxN: 3, seed: 0, maxChars: 2000 },
    train: { epochs: 3, batchSize: 32, learningRate: 0.03, l2: 1e-6, seed },
    testFraction: 0.2,
    splitSeed: seed,
    ...(recipe === 'words' ? { nb: { alpha: 1 }, l2Grid: [1e-6, 1e-5], calibrate: true } : {}),
  });
  return { clf, ...packageTextClassifier(clf, { name, task, provenance: 'integration test' }) };
}

describeWithInfra('inference service over real Kafka and Postgres', (infra) => {
  const prefix = uniquePrefix('inference');
  const tenantId = 'tenant-inf';
  const modelDir = mkdtempSync(join(tmpdir(), 'lp-inference-'));
  let app: INestApplication;
  let key: string;
  const http = () => request(app.getHttpServer());
  let imported: ReturnType<typeof smallModel>;

  beforeAll(async () => {
    // A model trained with `livepromo train` and dropped into MODEL_DIR is imported at boot.
    imported = smallModel('review-sentiment', 'sentiment', 5, 'words');
    await writeModelFolder(modelDir, imported.manifest, imported.onnx);
    ({ app } = await createServiceApp(
      AppModule.register({ env: serviceTestEnv(infra, prefix, { OPERATOR_TOKEN, MODEL_DIR: modelDir, MODEL_REFRESH_MS: '0' }) }),
      manifest,
    ));
    key = await grantTestKey(app.get(MessageBus), tenantId);
    await waitFor('the tenant key to resolve', async () => (await http().post('/v1/predict').set('Authorization', `Bearer ${key}`).send({ text: 'hi' })).status === 200);
  }, 60000);

  afterAll(async () => {
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor(manifest.service, prefix.replace(/[^a-z0-9_]/g, '_')));
    rmSync(modelDir, { recursive: true, force: true });
  });

  it('classifies a batch of Chinese and English comments with the default intent model', async () => {
    const res = await http()
      .post('/v1/predict')
      .set('Authorization', `Bearer ${key}`)
      .send({ texts: ['这门课多少钱', 'where is the link', '老师讲得太好了'] })
      .expect(200);
    expect(res.body.model).toEqual({ name: 'comment-intent', version: 1, task: 'intent' });
    expect(res.body.predictions.map((p: { label: string }) => p.label)).toEqual(['price_question', 'how_to_buy', 'praise']);
    const p0 = res.body.predictions[0];
    expect(Object.values(p0.probabilities as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(res.body.computedAs).toContain('softmax');
  });

  it('answers malformed input with 400 and a message naming the problem', async () => {
    const post = (body: unknown) => http().post('/v1/predict').set('Authorization', `Bearer ${key}`).send(body as object);
    const cases: [unknown, string][] = [
      [{ texts: [] }, 'texts: must hold at least one text'],
      [{ texts: Array.from({ length: 257 }, () => 'a') }, 'texts: must hold at most 256 texts'],
      [{ texts: ['x'.repeat(2001)] }, 'texts.0: must be at most 2000 characters'],
      [{ texts: [42] }, 'texts.0: must be a string, got number'],
      [{ texts: [''] }, 'texts.0: must not be empty or blank'],
      [{}, 'give exactly one of "text" or "texts"'],
    ];
    for (const [body, message] of cases) {
      const res = await post(body).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toContain(message);
    }
    const bad = await http().post('/v1/predict').set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/json').send('{"texts": [').expect(400);
    expect(bad.body.error).toMatchObject({ code: expect.stringMatching(/^(malformed_json|validation_failed)$/), message: expect.any(String) });
    await http().post('/v1/predict').send({ text: 'hi' }).expect(401);
    const unknown = await post({ text: 'hi', model: 'no-such-model' }).expect(404);
    expect(unknown.body.error.message).toContain('no-such-model');
  });

  it('scores purchase propensity from activity counts with the default model, and refuses texts for it', async () => {
    const res = await http()
      .post('/v1/propensity')
      .set('Authorization', `Bearer ${key}`)
      .send({ rows: [{ userId: 'u-1', features: { cart_adds: 3, coupon_claims: 2, watch_minutes: 40 } }, { userId: 'u-2', features: {} }] })
      .expect(200);
    expect(res.body.model).toMatchObject({ name: 'purchase-propensity', version: 1 });
    expect(res.body.model.heldOutAuc).toBeGreaterThan(0.7);
    expect(res.body.scores[0].purchaseProbability).toBeGreaterThan(res.body.scores[1].purchaseProbability);
    const unknown = await http().post('/v1/propensity').set('Authorization', `Bearer ${key}`).send({ rows: [{ features: { bogus: 1 } }] }).expect(400);
    expect(unknown.body.error.message).toContain('unknown feature(s) bogus');
    const negative = await http().post('/v1/propensity').set('Authorization', `Bearer ${key}`).send({ rows: [{ features: { likes: -1 } }] }).expect(400);
    expect(negative.body.error.message).toContain('must be ≥ 0');
    const texts = await http().post('/v1/predict').set('Authorization', `Bearer ${key}`).send({ text: 'hi', model: 'purchase-propensity' }).expect(400);
    expect(texts.body.error.message).toContain('use POST /v1/propensity');
  });

  it('lists the models with versions, metrics and signatures, including one imported from MODEL_DIR', async () => {
    const res = await http().get('/v1/models').set('Authorization', `Bearer ${key}`).expect(200);
    const names = res.body.models.map((m: { name: string }) => m.name).sort();
    expect(names).toEqual(['comment-intent', 'comment-sentiment', 'purchase-propensity', 'review-sentiment']);
    const v = await http().get('/v1/models/comment-intent/versions').set('Authorization', `Bearer ${key}`).expect(200);
    expect(v.body.versions[0]).toMatchObject({ version: 1, active: true, task: 'intent' });
    expect(v.body.versions[0].manifest.metrics.accuracy).toBeGreaterThan(0.4);
    expect(v.body.versions[0].manifest.signature.input).toEqual({ name: 'features', shape: ['N', 16384], dtype: 'float32' });
    await http().get('/v1/models/nope/versions').set('Authorization', `Bearer ${key}`).expect(404);
  });

  it('serves the imported jieba word + NB + calibrated model with the training forward pass probabilities', async () => {
    const texts = ['这个课多少钱', '讲得太好了，非常满意', '太差了 退款'];
    const res = await http().post('/v1/predict').set('Authorization', `Bearer ${key}`).send({ texts, model: 'review-sentiment' }).expect(200);
    const ref = classifyWithTrainingCode(imported.clf, texts);
    expect(res.body.labels).toEqual(imported.clf.labels);
    // the route rounds probabilities to 6 decimals
    res.body.predictions.forEach((p: { probabilities: Record<string, number> }, i: number) => {
      ref[i].forEach((v, c) => expect(Math.abs(p.probabilities[imported.clf.labels[c]] - v)).toBeLessThan(1e-5));
    });
  });

  it('swaps versions under load without losing a request', async () => {
    const registry = app.get(ModelRegistryService);
    const v2 = smallModel('comment-intent', 'intent', 99);
    const added = await registry.register(v2.manifest, v2.onnx, null);
    expect(added).toEqual({ version: 2, created: true, active: false });

    const N = 120;
    const texts = generateSyntheticComments(N, 3).map((c) => c.text);
    const requests = texts.map((t) => http().post('/v1/predict').set('Authorization', `Bearer ${key}`).send({ text: t }));
    const inFlight = requests.slice(0, N / 2).map((r) => r.then((x) => x));
    const activate = http().post('/v1/models/comment-intent/versions/2/activate').set('X-Operator-Token', OPERATOR_TOKEN).then((x) => x);
    const rest = requests.slice(N / 2).map((r) => r.then((x) => x));
    const results = await Promise.all([...inFlight, ...rest]);
    const activated = await activate;
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ name: 'comment-intent', version: 2, active: true });
    expect(results.map((r) => r.status)).toEqual(new Array(N).fill(200));
    for (const r of results) expect([1, 2]).toContain(r.body.model.version);

    const after = await http().post('/v1/predict').set('Authorization', `Bearer ${key}`).send({ text: '多少钱' }).expect(200);
    expect(after.body.model.version).toBe(2);
    // Rollback is activation of the previous version.
    await http().post('/v1/models/comment-intent/versions/1/activate').set('X-Operator-Token', OPERATOR_TOKEN).expect(200);
    await http().post('/v1/models/comment-intent/versions/9/activate').set('X-Operator-Token', OPERATOR_TOKEN).expect(404);
    await http().post('/v1/models/comment-intent/versions/2/activate').expect(401);
  }, 60000);

  it('classifies live comments from events.clean.v1 onto comments.classified.v1 with deterministic ids', async () => {
    const bus = app.get(MessageBus);
    const comment = makeEvent('live.comment.posted', { tenantId, liveSessionId: 'ls-9', userId: 'u-9', streamerId: 's-9', payload: { text: '怎么买？链接在哪' } });
    const like = makeEvent('live.like', { tenantId, liveSessionId: 'ls-9' });
    // The same comment twice (a redelivery) yields the same derived eventId twice.
    await bus.publish('events.clean.v1', [comment, like] as never);
    await bus.publish('events.clean.v1', [comment] as never);
    const msgs = await readTopic(infra.kafkaBrokers, `${prefix}comments.classified.v1`, 2, 30000);
    expect(msgs).toHaveLength(2);
    expect(msgs.map((m) => JSON.parse(m.value).eventId)).toEqual([`cls-${comment.eventId}`, `cls-${comment.eventId}`]);
    const e = JSON.parse(msgs[0].value);
    expect(e).toMatchObject({
      eventId: `cls-${comment.eventId}`,
      type: 'comment.classified',
      tenantId,
      liveSessionId: 'ls-9',
      userId: 'u-9',
      streamerId: 's-9',
      payload: { commentEventId: comment.eventId, text: '怎么买？链接在哪', intent: 'how_to_buy', model: expect.stringMatching(/^comment-intent@\d\+comment-sentiment@1$/) },
    });
    expect(e.payload.intentScore).toBeGreaterThan(0);
    expect(['positive', 'neutral', 'negative']).toContain(e.payload.sentiment);
    expect(msgs[0].key).toBe(`${tenantId}:ls-9`);
  }, 40000);
});
