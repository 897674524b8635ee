import { z } from 'zod';
import { envelopeBaseShape } from '../envelope';
import { EVENT_TYPES, EventType, ExternalEventType, isExternalEventType, payloadSchemas } from './payloads';

/** The envelope schema of one event type: base fields + `type` literal + typed payload. */
export function envelopeSchemaFor<T extends EventType>(type: T) {
  return z.object({
    ...envelopeBaseShape,
    type: z.literal(type),
    payload: payloadSchemas[type],
  });
}

type EnvelopeSchemaMap = { [T in EventType]: ReturnType<typeof envelopeSchemaFor<T>> };
export const envelopeSchemas = Object.fromEntries(
  EVENT_TYPES.map((t) => [t, envelopeSchemaFor(t)]),
) as EnvelopeSchemaMap;

/** An event of one type after validation: every field typed. */
export type EventOf<T extends EventType> = z.infer<EnvelopeSchemaMap[T]>;
/** Input form (before defaults are applied), e.g. schemaVersion optional. */
export type EventInputOf<T extends EventType> = z.input<EnvelopeSchemaMap[T]>;
/** Any canonical event. */
export type CanonicalEvent = { [T in EventType]: EventOf<T> }[EventType];
/** An event from outside (a user's or a platform's), as events.clean.v1 carries: not one livepromo derives itself. */
export type ExternalEvent = { [T in ExternalEventType]: EventOf<T> }[ExternalEventType];
/** Narrows to an outside event, so that a switch over its type needs no case for derived types. */
export function isExternalEvent(e: CanonicalEvent): e is ExternalEvent {
  return isExternalEventType(e.type);
}

const schemaList = EVENT_TYPES.map((t) => envelopeSchemas[t]);
export const canonicalEventSchema = z.discriminatedUnion(
  'type',
  schemaList as unknown as [EnvelopeSchemaMap[EventType], ...EnvelopeSchemaMap[EventType][]],
) as unknown as z.ZodType<CanonicalEvent>;

/**
 * Raw envelope as it travels on `ingest.raw.v1`: envelope fields validated by ingestion,
 * `type` a string and `payload` not yet checked (that is cleaning's job, so that a bad
 * payload lands in the DLQ with a reason rather than being refused without a trace).
 */
export const rawEventSchema = z.object({
  ...envelopeBaseShape,
  type: z.string().min(1).max(64),
  payload: z.record(z.string(), z.unknown()),
});
export type RawEvent = z.infer<typeof rawEventSchema>;
