import { z } from 'zod';
import { CanonicalEvent, canonicalEventSchema, EventOf, RawEvent, rawEventSchema } from './events/canonical-event';
import { EXTERNAL_EVENT_TYPES, EventType } from './events/payloads';
import { DeadLetter, deadLetterSchema } from './dead-letter';

export const SERVICES = [
  'ingestion',
  'cleaning',
  'user-profile',
  'streamer-recommender',
  'content-optimiser',
  'roi',
  'inference',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** How a message key is built, so that per-key order holds and consumers scale by partition. */
export type KeyRule = 'session-or-user' | 'user' | 'session' | 'tenant' | 'original';

const DAY_MS = 24 * 3600 * 1000;

function typed<T extends EventType>(...types: T[]) {
  return types;
}

/**
 * The topic registry: the only place topic names are declared.
 * `eventTypes` lists what may be published on the topic (checked at publish and at consume).
 */
export const TOPICS = {
  'ingest.raw.v1': {
    description: 'Events as accepted by ingestion: envelope validated, payload not yet.',
    key: 'session-or-user',
    partitions: 6,
    retentionMs: 7 * DAY_MS,
    producers: ['ingestion', 'cleaning'],
    eventTypes: null,
  },
  'events.clean.v1': {
    description: 'Validated, normalised, deduplicated, de-noised canonical events.',
    key: 'session-or-user',
    partitions: 6,
    retentionMs: 30 * DAY_MS,
    producers: ['cleaning'],
    eventTypes: EXTERNAL_EVENT_TYPES,
  },
  'events.dlq.v1': {
    description: 'Dead letters: original bytes plus { reason, service, attempts, failedAt }.',
    key: 'original',
    partitions: 3,
    retentionMs: 90 * DAY_MS,
    producers: [...SERVICES],
    eventTypes: null,
  },
  'events.quality.v1': {
    description:
      'Data-quality facts about the stream, e.g. cumulative bot traffic per live session (so ROI can discount it) and cumulative outcomes per import job (so ingestion can account for its jobs).',
    key: 'session',
    partitions: 3,
    retentionMs: 30 * DAY_MS,
    producers: ['cleaning'],
    eventTypes: typed('session.bot_traffic.counted', 'import.outcome.counted'),
  },
  'profiles.updated.v1': {
    description: 'Coalesced notice that user profiles changed.',
    key: 'tenant',
    partitions: 3,
    retentionMs: 7 * DAY_MS,
    producers: ['user-profile'],
    eventTypes: typed('profile.updated'),
  },
  'privacy.erasure.v1': {
    description: 'A user was erased; every service deletes its data about that user.',
    key: 'user',
    partitions: 3,
    retentionMs: 90 * DAY_MS,
    producers: ['user-profile'],
    eventTypes: typed('user.erased'),
  },
  'tenants.keys.v1': {
    description: 'Tenant API key directory (hashes only), compacted by keyId; every service builds its auth cache from it.',
    key: 'tenant',
    partitions: 1,
    retentionMs: -1,
    producers: ['ingestion'],
    eventTypes: typed('tenant.key.changed'),
  },
  'recommendations.updated.v1': {
    description: 'Recommendations were recomputed for some scope.',
    key: 'tenant',
    partitions: 3,
    retentionMs: 7 * DAY_MS,
    producers: ['streamer-recommender'],
    eventTypes: typed('recommendations.updated'),
  },
  'comments.classified.v1': {
    description: 'Live comments with intent and sentiment from the inference service.',
    key: 'session-or-user',
    partitions: 6,
    retentionMs: 7 * DAY_MS,
    producers: ['inference'],
    eventTypes: typed('comment.classified'),
  },
  'live.metrics.v1': {
    description: 'Windowed live-session metrics with baselines.',
    key: 'session',
    partitions: 6,
    retentionMs: 7 * DAY_MS,
    producers: ['content-optimiser'],
    eventTypes: typed('live.metrics.computed'),
  },
  'live.suggestions.v1': {
    description: 'What the live room should do next, with reason, evidence and confidence.',
    key: 'session',
    partitions: 6,
    retentionMs: 30 * DAY_MS,
    producers: ['content-optimiser'],
    eventTypes: typed('live.suggestion.made'),
  },
  'roi.updated.v1': {
    description: 'ROI figures changed for some keys of a dimension.',
    key: 'tenant',
    partitions: 3,
    retentionMs: 7 * DAY_MS,
    producers: ['roi'],
    eventTypes: typed('roi.updated'),
  },
} as const satisfies Record<
  string,
  {
    description: string;
    key: KeyRule;
    partitions: number;
    retentionMs: number;
    producers: readonly ServiceName[];
    eventTypes: readonly EventType[] | null;
  }
>;

export type TopicName = keyof typeof TOPICS;
export const TOPIC_NAMES = Object.keys(TOPICS) as TopicName[];

type TypesOf<T extends TopicName> = (typeof TOPICS)[T]['eventTypes'];

/** The typed map from topic to message: `publish(topic, msg)` fails to compile when they disagree. */
export type TopicMessage<T extends TopicName> = T extends 'ingest.raw.v1'
  ? RawEvent
  : T extends 'events.dlq.v1'
    ? DeadLetter
    : TypesOf<T> extends readonly (infer E extends EventType)[]
      ? EventOf<E>
      : never;

/** Runtime schema for a topic's messages. */
const topicSchemas = new Map<TopicName, z.ZodType<unknown>>();

/** The schema every message on `topic` must satisfy (built once per topic: consumers call this per message). */
export function topicSchema(topic: TopicName): z.ZodType<unknown> {
  let schema = topicSchemas.get(topic);
  if (!schema) {
    schema = buildTopicSchema(topic);
    topicSchemas.set(topic, schema);
  }
  return schema;
}

function buildTopicSchema(topic: TopicName): z.ZodType<unknown> {
  if (topic === 'ingest.raw.v1') return rawEventSchema;
  if (topic === 'events.dlq.v1') return deadLetterSchema;
  const allowed = TOPICS[topic].eventTypes as readonly string[] | null;
  return canonicalEventSchema.refine((e: CanonicalEvent) => !allowed || allowed.includes(e.type), {
    message: `event type not allowed on ${topic}`,
    path: ['type'],
  });
}

interface Keyable {
  tenantId?: string;
  userId?: string;
  liveSessionId?: string;
  streamerId?: string;
}

/** The partition key of an envelope under a topic's key rule. */
export function partitionKey(rule: KeyRule, e: Keyable): string | null {
  const t = e.tenantId ?? '_';
  switch (rule) {
    case 'session-or-user':
      if (e.liveSessionId) return `${t}:${e.liveSessionId}`;
      if (e.userId) return `${t}:${e.userId}`;
      if (e.streamerId) return `${t}:${e.streamerId}`;
      return t;
    case 'session':
      return `${t}:${e.liveSessionId ?? e.streamerId ?? ''}`;
    case 'user':
      return `${t}:${e.userId ?? ''}`;
    case 'tenant':
      return t;
    case 'original':
      return null;
  }
}

export function keyForTopic<T extends TopicName>(topic: T, message: TopicMessage<T>): string | null {
  return partitionKey(TOPICS[topic].key, message);
}
