/**
 * Errors that say "a dependency is unavailable right now" (network, database restarting, broker without a leader)
 * rather than "this message cannot be handled". A consumer waits out the first kind — retrying the same batch with
 * backoff, never dead-lettering it — and isolates and dead-letters only the second.
 */
const NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'ESOCKETTIMEDOUT',
]);

/** Postgres SQLSTATEs that mean "try again": connection exceptions (08…), shutdown / cannot connect now, too many connections, serialisation failures. */
const PG_TRANSIENT = /^(08...|57P01|57P02|57P03|53300|40001|40P01)$/;

const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSConnectionClosedError',
  'KafkaJSLockTimeout',
  'MaxRetriesPerRequestError',
]);

const TRANSIENT_MESSAGES =
  /connect ECONNREFUSED|Connection terminated|timeout exceeded when trying to connect|Connection is closed|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Client has encountered a connection error|socket hang up|There is no leader for this topic-partition|Broker not connected|Not enough in-sync replicas|Stream isn't writeable|Reached the max retries per request limit/i;

export function isTransientError(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 5) return false;
  const err = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; driverError?: unknown; errors?: unknown; retriable?: unknown };
  if (typeof err.code === 'string' && (NET_CODES.has(err.code) || PG_TRANSIENT.test(err.code))) return true;
  if (typeof err.name === 'string' && TRANSIENT_NAMES.has(err.name)) return true;
  if (err.retriable === true) return true;
  if (typeof err.message === 'string' && TRANSIENT_MESSAGES.test(err.message)) return true;
  if (Array.isArray(err.errors) && err.errors.some((x) => isTransientError(x, depth + 1))) return true;
  return isTransientError(err.cause, depth + 1) || isTransientError(err.driverError, depth + 1);
}
