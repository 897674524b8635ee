export * from './cli';
export * from './event-batch-client';
