export * from './cache.port';
export * from './redis-cache';
export * from './memory-cache';
export * from './redis-connection';
