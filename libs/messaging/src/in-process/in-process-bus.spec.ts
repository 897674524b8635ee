import { makeEvent } from '@livepromo/testing';
import { InProcessBus, InProcessLog } from './in-process-bus';
import { PublishValidationError } from '../message-bus.port';

describe('InProcessBus (embedded mode)', () => {
  it('delivers published events to every consumer group, in order, once each', async () => {
    const log = new InProcessLog();
    const producer = new InProcessBus('cleaning', log);
    const a: string[] = [];
    const b: string[] = [];
    await producer.subscribe({ topic: 'events.clean.v1', groupId: 'g-a', handler: async (batch) => void a.push(...batch.map((m) => m.value.eventId)) });
    await producer.subscribe({ topic: 'events.clean.v1', groupId: 'g-b', handler: async (batch) => void b.push(...batch.map((m) => m.value.eventId)) });
    await producer.publish('events.clean.v1', [makeEvent('live.like', { eventId: 'e1' }), makeEvent('live.like', { eventId: 'e2' })] as never);
    await producer.idle();
    expect(a).toEqual(['e1', 'e2']);
    expect(b).toEqual(['e1', 'e2']);
  });

  it('refuses to publish an event that breaks its topic contract', async () => {
    const bus = new InProcessBus('cleaning');
    await expect(bus.publish('events.clean.v1', [{ ...makeEvent('live.like'), payload: { count: -1 } }] as never)).rejects.toBeInstanceOf(PublishValidationError);
    expect(bus.messages('events.clean.v1')).toHaveLength(0);
  });

  it('dead-letters malformed bytes with a reason and keeps consuming', async () => {
    const bus = new InProcessBus('roi');
    const seen: string[] = [];
    await bus.subscribe({ topic: 'events.clean.v1', groupId: 'g', handler: async (batch) => void seen.push(...batch.map((m) => m.value.eventId)) });
    bus.appendRaw('events.clean.v1', Buffer.from('garbage'));
    await bus.publish('events.clean.v1', [makeEvent('live.like', { eventId: 'after' })] as never);
    await bus.idle();
    expect(seen).toEqual(['after']);
    const dlq = bus.messages('events.dlq.v1');
    expect(dlq).toHaveLength(1);
    expect(dlq[0]).toMatchObject({ reason: 'malformed_json', service: 'roi', originalTopic: 'events.clean.v1' });
  });

  it('resumes a restarted group at its committed offset', async () => {
    const log = new InProcessLog();
    const bus = new InProcessBus('roi', log);
    const seen: string[] = [];
    const sub = await bus.subscribe({ topic: 'events.clean.v1', groupId: 'g', handler: async (b) => void seen.push(...b.map((m) => m.value.eventId)) });
    await bus.publish('events.clean.v1', [makeEvent('live.like', { eventId: 'one' })] as never);
    await bus.idle();
    await sub.stop();
    await bus.publish('events.clean.v1', [makeEvent('live.like', { eventId: 'two' })] as never);
    await bus.subscribe({ topic: 'events.clean.v1', groupId: 'g', handler: async (b) => void seen.push(...b.map((m) => m.value.eventId)) });
    await bus.idle();
    expect(seen).toEqual(['one', 'two']);
  });
});
