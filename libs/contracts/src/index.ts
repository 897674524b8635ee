export * from './envelope';
export * from './events/payloads';
export * from './events/canonical-event';
export * from './dead-letter';
export * from './topics';
export * from './validation';
export * from './event-id';
