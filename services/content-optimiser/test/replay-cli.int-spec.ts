import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeWithInfra, readTopic, uniquePrefix } from '@livepromo/testing';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'services/content-optimiser/src/cli/replay-session.cli.ts');

describeWithInfra('replay command over real Kafka', (infra) => {
  const prefix = uniquePrefix('coReplay');
  const dir = mkdtempSync(join(tmpdir(), 'livepromo-replay-'));
  const T0 = Date.parse('2026-11-01T12:00:00.000Z');
  // a recorded minute of a live room, written out of order: 12 events 5 s apart
  const recorded = Array.from({ length: 12 }, (_, i) => ({
    eventId: `rec-${i}`,
    tenantId: 'replay-tenant',
    type: i === 0 ? 'live.session.started' : 'live.room.entered',
    source: 'generic',
    occurredAt: new Date(T0 + i * 5000).toISOString(),
    receivedAt: new Date(T0 + i * 5000).toISOString(),
    schemaVersion: 1,
    liveSessionId: 'ls-rec',
    streamerId: 's-rec',
    userId: `u${i}`,
    payload: i === 0 ? { category: 'design' } : {},
  }));
  const file = join(dir, 'session.jsonl');
  writeFileSync(file, [...recorded].reverse().map((e) => JSON.stringify(e)).join('\n') + '\n');
  const cli = (args: string[]) =>
    run(process.execPath, ['-r', '@swc-node/register', CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: infra.kafkaBrokers.join(','), LIVEPROMO_TOPIC_PREFIX: prefix },
      timeout: 60_000,
    });

  it('plays a recorded session through Kafka in event order at N× speed, shifted to now', async () => {
    const before = Date.now();
    const { stderr } = await cli(['--file', file, '--speed', '55']);
    expect(stderr).toMatch(/done: 12 events on events\.clean\.v1/);
    const out = (await readTopic(infra.kafkaBrokers, `${prefix}events.clean.v1`, 12, 20_000)).map((m) => JSON.parse(m.value) as { eventId: string; occurredAt: string });
    expect(out).toHaveLength(12);
    // one session key → one partition → Kafka keeps the publish order: event order, not file order
    expect(out.map((e) => e.eventId)).toEqual(recorded.map((e) => e.eventId));
    const times = out.map((e) => Date.parse(e.occurredAt));
    expect(times[0]).toBeGreaterThanOrEqual(before);
    // 55 s of event time at 55× = 1 s, each 5 s gap → 91 ms (rounded to the ms)
    expect(times[11] - times[0]).toBeGreaterThanOrEqual(995);
    expect(times[11] - times[0]).toBeLessThanOrEqual(1005);
    for (let i = 1; i < 12; i++) expect(Math.abs(times[i] - times[i - 1] - 5000 / 55)).toBeLessThanOrEqual(1);
  });

  it('refuses bad options with exit code 2, an unusable file with 1, and answers --help with 0', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/--max-gap MS/);
    await expect(cli(['--file', file, '--speed', '0'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--speed must be a number in \(0, Infinity\]/) });
    await expect(cli(['--speed', '2'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--file/) });
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"occurredAt": "2026-11-01T12:00:00Z"}\nnot json\n');
    await expect(cli(['--file', bad])).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/line 2: invalid JSON/) });
  });
});
