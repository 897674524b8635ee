/**
 * Property (#17): importing twice = importing once, through cleaning's real batch use case on real
 * Redis, Postgres and Kafka. For generated import files (two-year-old backfill events: valid rows,
 * exact repeats, rows with a bad payload), the first import accounts for every row
 * (clean + dead-lettered + discarded = rows, none too_late) and its per-stream outcome totals
 * (import.outcome.counted's source) say the same; the second import of the same file publishes
 * nothing clean: every row is a duplicate or the same dead letter again.
 * Fixed seed in CI (FC_SEED overrides; the seed is printed).
 */
import { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { rawEventSchema } from '@livepromo/contracts';
import { createServiceApp } from '@livepromo/service-kit';
import { dropSchema, schemaFor } from '@livepromo/persistence';
import { describeWithInfra, uniquePrefix } from '@livepromo/testing';
import { serviceTestEnv } from '@livepromo/testing/service-boot';
import { AppModule } from '../src/app.module';
import { CleanBatchUseCase } from '../src/cleaning/application/clean-batch.usecase';
import { CleaningRepository } from '../src/cleaning/infrastructure/cleaning.repository';
import { manifest } from '../src/service.manifest';

const SEED = Number(process.env.FC_SEED ?? 20261201);

interface Row {
  kind: 'view' | 'paid' | 'like' | 'bad';
  user: number;
  minute: number;
}

const rowArb = fc.record({ kind: fc.constantFrom<Row['kind']>('view', 'view', 'paid', 'like', 'bad'), user: fc.integer({ min: 1, max: 30 }), minute: fc.integer({ min: 0, max: 600 }) });
/** A file: rows, some repeated verbatim (an export with duplicate lines). */
const fileArb = fc.array(rowArb, { minLength: 1, maxLength: 60 }).chain((rows) => fc.array(fc.nat({ max: rows.length - 1 }), { maxLength: 10 }).map((rep) => [...rows, ...rep.map((i) => rows[i])]));

describeWithInfra('importing twice = importing once (cleaning, property)', (infra) => {
  const prefix = uniquePrefix('bftwice');
  const tenant = `bf2-${Date.now().toString(36)}`;
  let app: INestApplication;
  let offset = 0;
  const twoYearsAgo = Date.parse(new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10));

  beforeAll(async () => {
    ({ app } = await createServiceApp(AppModule.register({ env: serviceTestEnv(infra, prefix, { DEDUP_WINDOW_MS: '3600000', LOG_LEVEL: 'error' }) }), manifest));
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(infra.databaseUrl, schemaFor('cleaning', prefix.replace(/[^a-z0-9_]/g, '_')));
  });

  /** The envelopes an import of `rows` sends: ids = hash(tenant, line, row text) as the importer makes them. */
  function envelopes(rows: Row[], run: number, streamId: string) {
    const receivedAt = new Date().toISOString();
    return rows.map((r, line) => {
      const text = JSON.stringify(r);
      const occurredAt = new Date(twoYearsAgo + r.minute * 60_000).toISOString();
      const common = { eventId: `imp-${createHash('sha256').update(`${tenant}\u0000${run}\u0000${line}\u0000${text}`).digest('base64url').slice(0, 32)}`, tenantId: tenant, source: 'generic', occurredAt, receivedAt, userId: `u${r.user}`, schemaVersion: 1, ingest: { mode: 'backfill', streamId } };
      if (r.kind === 'view') return { ...common, type: 'course.viewed', courseId: 'c1', payload: { durationSec: r.minute } };
      if (r.kind === 'paid') return { ...common, type: 'order.paid', payload: { orderId: `o-${r.user}-${r.minute}`, amount: '19.90' } };
      if (r.kind === 'like') return { ...common, type: 'live.like', liveSessionId: `ls-${r.minute % 5}`, payload: { count: 1 } };
      return { ...common, type: 'order.paid', payload: { orderId: 'o-bad', amount: 'lots' } };
    });
  }

  async function importOnce(rows: Row[], run: number, streamId: string) {
    const uc = app.get(CleanBatchUseCase);
    const events = envelopes(rows, run, streamId);
    const total = { clean: 0, deadLettered: 0, discarded: 0 };
    for (let i = 0; i < events.length; i += 25) {
      const batch = events.slice(i, i + 25).map((e) => ({ value: rawEventSchema.parse(e), key: null, topic: 'ingest.raw.v1' as const, partition: 11, offset: String(offset++), raw: Buffer.from(JSON.stringify(e)) }));
      const s = await uc.execute(batch);
      total.clean += s.clean;
      total.deadLettered += s.deadLettered;
      total.discarded += s.discarded;
    }
    const outcomes = await app.get(CleaningRepository).streamTotals([{ tenantId: tenant, streamId }]);
    return { total, outcomes: Object.fromEntries(outcomes.map((o) => [o.outcome, o.n])) as Record<string, number> };
  }

  it('for generated files: the second import of the same file adds nothing clean, and every row is accounted for', async () => {
    process.stderr.write(`[property] importing twice = once: fc seed ${SEED} (FC_SEED to replay)\n`);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fileArb, async (rows) => {
        run++;
        const first = await importOnce(rows, run, `job_a${run}`);
        const second = await importOnce(rows, run, `job_b${run}`);
        const n = rows.length;
        const sumOf = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
        // every row accounted for, once, and the stream totals (what import.outcome.counted carries) agree
        expect(first.total.clean + first.total.deadLettered + first.total.discarded).toBe(n);
        expect(sumOf(first.outcomes)).toBe(n);
        expect(first.outcomes.clean ?? 0).toBe(first.total.clean);
        expect(first.outcomes['dead_lettered:too_late'] ?? 0).toBe(0);
        // the second import changes nothing: nothing clean, the same dead letters, the rest duplicates
        expect(second.total.clean).toBe(0);
        expect(second.outcomes.clean ?? 0).toBe(0);
        expect(second.total.deadLettered).toBe(first.total.deadLettered);
        expect(second.outcomes.duplicate ?? 0).toBe(n - second.total.deadLettered);
      }),
      { seed: SEED, numRuns: 12, endOnFailure: true },
    );
  }, 240_000);
});
