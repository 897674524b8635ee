import { isTransientError } from './transient-error';

describe('isTransientError', () => {
  it('recognises network, Postgres, Redis and Kafka unavailability, also when wrapped', () => {
    expect(isTransientError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isTransientError(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isTransientError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientError(new Error('the database system is starting up'))).toBe(true);
    // TypeORM's QueryFailedError keeps the driver's error
    expect(isTransientError(Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError: { code: '57P03' } }))).toBe(true);
    expect(isTransientError(Object.assign(new Error('Connection is closed.'), {}))).toBe(true);
    expect(isTransientError(Object.assign(new Error('boom'), { name: 'KafkaJSNumberOfRetriesExceeded' }))).toBe(true);
    expect(isTransientError(new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ETIMEDOUT' }) }))).toBe(true);
    expect(isTransientError(new AggregateError([new Error('a'), Object.assign(new Error('b'), { code: 'ECONNRESET' })]))).toBe(true);
  });

  it('does not excuse errors of the message or the code', () => {
    expect(isTransientError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isTransientError(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(isTransientError(Object.assign(new Error('invalid input syntax for type bigint'), { code: '22P02' }))).toBe(false);
    expect(isTransientError('a string')).toBe(false);
    expect(isTransientError(null)).toBe(false);
  });
});
