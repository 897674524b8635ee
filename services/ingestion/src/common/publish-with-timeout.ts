import { TopicMessage, TopicName } from '@livepromo/contracts';
import { MessageBus, PublishOptions, PublishValidationError } from '@livepromo/messaging';
import { DomainError, ErrorCode } from '@livepromo/service-kit';

/** Seconds a client is told to wait (Retry-After) when Kafka did not acknowledge. */
export const UNAVAILABLE_RETRY_AFTER_SEC = 5;

/**
 * Publishes and waits for Kafka's acknowledgement (acks=all) at most `timeoutMs`.
 * Anything but an acknowledgement becomes 503 `unavailable` with Retry-After: the caller
 * never answers 2xx for messages that were not written. (After a timeout the write may still
 * land; a retry by the client is deduplicated downstream by eventId.)
 */
export function publishOrUnavailable<T extends TopicName>(
  bus: MessageBus,
  topic: T,
  messages: readonly TopicMessage<T>[],
  timeoutMs: number,
  options?: PublishOptions,
): Promise<void> {
  return ackedOrUnavailable(bus.publish(topic, messages, options), timeoutMs);
}

/** Waits for a publish at most `timeoutMs`; see publishOrUnavailable. */
export async function ackedOrUnavailable(publish: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no acknowledgement from Kafka within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([publish, timeout]);
  } catch (e) {
    if (e instanceof PublishValidationError) throw e;
    throw new DomainError(ErrorCode.Unavailable, `events were not written, retry later: ${e instanceof Error ? e.message : String(e)}`, {
      headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SEC) },
      details: { retryAfterSec: UNAVAILABLE_RETRY_AFTER_SEC },
    });
  } finally {
    clearTimeout(timer);
  }
}
