import { DeadLetter, RejectionCode } from '@livepromo/contracts';
import { makeEvent } from '@livepromo/testing';
import { BatchProcessor, IncomingMessage } from './batch-processor';
import { PermanentHandlerError } from './message-bus.port';

const msg = (value: unknown, offset: number): IncomingMessage => ({
  topic: 'events.clean.v1',
  partition: 0,
  offset: String(offset),
  key: 'k',
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

function setup(handler: (ids: string[]) => Promise<void>, maxRetries = 2) {
  const letters: DeadLetter[] = [];
  const p = new BatchProcessor<{ eventId: string }>({
    service: 'cleaning',
    handler: (batch) => handler(batch.map((m) => m.value.eventId)),
    maxRetries,
    retryBaseMs: 1,
    deadLetter: async (l) => {
      letters.push(...l);
    },
    sleep: () => Promise.resolve(),
  });
  return { p, letters };
}

describe('BatchProcessor', () => {
  it('dead-letters malformed JSON and schema violations with the original bytes, and hands the rest to the handler', async () => {
    const seen: string[] = [];
    const { p, letters } = setup(async (ids) => {
      seen.push(...ids);
    });
    const good = makeEvent('live.like', { eventId: 'good-1' });
    const out = await p.process([msg('{not json', 0), msg({ ...good, eventId: 'bad-1', tenantId: 'NOPE!' }, 1), msg(good, 2)]);
    expect(seen).toEqual(['good-1']);
    expect(letters.map((l) => l.reason)).toEqual([RejectionCode.MalformedJson, RejectionCode.SchemaViolation]);
    expect(Buffer.from(letters[0].originalBase64, 'base64').toString()).toBe('{not json');
    expect(letters[1]).toMatchObject({ eventId: 'bad-1', originalOffset: '1', service: 'cleaning', attempts: 0 });
    expect(out).toEqual({ handled: 1, deadLettered: 2, retries: 0 });
  });

  it('retries a transient failure and then succeeds without dead-lettering', async () => {
    let calls = 0;
    const { p, letters } = setup(async () => {
      calls++;
      if (calls < 3) throw new Error('db blip');
    });
    const out = await p.process([msg(makeEvent('live.like'), 0)]);
    expect(calls).toBe(3);
    expect(letters).toHaveLength(0);
    expect(out.retries).toBe(2);
  });

  it('isolates a poison message: its neighbours are handled, it alone is dead-lettered after its retries', async () => {
    const applied = new Set<string>();
    const { p, letters } = setup(async (ids) => {
      if (ids.includes('poison')) throw new Error('cannot handle poison');
      ids.forEach((i) => applied.add(i));
    }, 1);
    await p.process([msg(makeEvent('live.like', { eventId: 'a' }), 0), msg(makeEvent('live.like', { eventId: 'poison' }), 1), msg(makeEvent('live.like', { eventId: 'b' }), 2)]);
    expect([...applied].sort()).toEqual(['a', 'b']);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ eventId: 'poison', reason: RejectionCode.HandlerFailed, attempts: 2, message: 'cannot handle poison' });
  });

  it('dead-letters a PermanentHandlerError at once with its own code', async () => {
    let calls = 0;
    const { p, letters } = setup(async () => {
      calls++;
      throw new PermanentHandlerError('impossible_value', 'negative price');
    }, 5);
    await p.process([msg(makeEvent('live.like'), 0)]);
    expect(calls).toBe(1);
    expect(letters[0]).toMatchObject({ reason: 'impossible_value', attempts: 1 });
  });

  it('propagates a failure to dead-letter so the caller does not commit', async () => {
    const p = new BatchProcessor({
      service: 'cleaning',
      handler: async () => undefined,
      maxRetries: 0,
      retryBaseMs: 1,
      deadLetter: () => Promise.reject(new Error('kafka down')),
    });
    await expect(p.process([msg('{', 0)])).rejects.toThrow('kafka down');
  });

  it('waits out an unavailable dependency (same batch, beyond maxRetries) instead of dead-lettering good messages', async () => {
    let calls = 0;
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const { p, letters } = setup(async () => {
      calls++;
      if (calls <= 6) throw refused; // more failures than maxRetries (2)
    });
    const out = await p.process([msg(makeEvent('live.like', { eventId: 'a' }), 0), msg(makeEvent('live.like', { eventId: 'b' }), 1)]);
    expect(letters).toEqual([]);
    expect(out).toMatchObject({ handled: 2, deadLettered: 0 });
    expect(calls).toBe(7); // the whole batch, again and again, never split into singles
  });

  it('gives the batch back, handling and dead-lettering nothing, when the consumer stops or loses the partition while waiting', async () => {
    const down = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const { p, letters } = setup(async () => {
      throw down;
    });
    let running = true;
    let beats = 0;
    const stopping = await p.process([msg(makeEvent('live.like', { eventId: 'a' }), 0)], {
      isRunning: () => running,
      heartbeat: async () => {
        if (++beats === 3) running = false;
      },
    });
    expect(stopping).toMatchObject({ handled: 0, deadLettered: 0, interrupted: true });
    const rebalanced = await p.process([msg(makeEvent('live.like', { eventId: 'b' }), 1)], {
      heartbeat: () => Promise.reject(new Error('The group is rebalancing')),
    });
    expect(rebalanced.interrupted).toBe(true);
    expect(letters).toEqual([]);
  });

  it('still dead-letters a message that fails for its own reasons after maxRetries', async () => {
    const { p, letters } = setup(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'amount')");
    });
    const out = await p.process([msg(makeEvent('live.like', { eventId: 'poison' }), 0)]);
    expect(out.deadLettered).toBe(1);
    expect(letters[0]).toMatchObject({ reason: RejectionCode.HandlerFailed, attempts: 3 });
  });
});
