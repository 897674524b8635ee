export * from './data-source';
export * from './sql';
export * from './pg-tls';
