export * from './infra';
export * from './wait';
export * from './kafka-probe';
export * from './factories';
export * from './bench-stats';
