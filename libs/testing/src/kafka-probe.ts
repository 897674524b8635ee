import { Kafka, logLevel } from 'kafkajs';

/**
 * Reads everything on a physical topic from the beginning with a throwaway group, until
 * `count` messages arrived or the timeout passed. For assertions in integration tests.
 */
export async function readTopic(brokers: string[], topic: string, count: number, timeoutMs = 20000): Promise<{ key: string | null; value: string; partition: number; offset: string }[]> {
  const kafka = new Kafka({ clientId: 'livepromo-test-probe', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `probe-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  const out: { key: string | null; value: string; partition: number; offset: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      out.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? '', partition, offset: message.offset });
      if (out.length >= count) resolveDone();
    },
  });
  const timer = setTimeout(resolveDone, timeoutMs);
  await done;
  clearTimeout(timer);
  await consumer.disconnect();
  return out;
}
