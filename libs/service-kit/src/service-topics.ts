import { ServiceName, TOPIC_NAMES, TOPICS, TopicName } from '@livepromo/contracts';

export interface ServiceTopics {
  service: ServiceName;
  produces: TopicName[];
  mode: string;
}

/** What a service produces, read from the topic registry (the one place topics are declared). */
export function describeServiceTopics(service: ServiceName): ServiceTopics {
  return {
    service,
    produces: TOPIC_NAMES.filter((t) => (TOPICS[t].producers as readonly string[]).includes(service) && t !== 'events.dlq.v1'),
    mode: process.env.LIVEPROMO_MODE ?? 'distributed',
  };
}
