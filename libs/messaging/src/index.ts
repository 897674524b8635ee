export * from './message-bus.port';
export * from './batch-processor';
export * from './kafka/kafka-bus';
export * from './in-process/in-process-bus';
export * from './transient-error';
export * from './kafka/kafka-connection';
