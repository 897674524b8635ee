/**
 * The one HTTP client for ingestion's POST /v1/events/batch (the import CLI, the simulator, benchmarks): nothing is
 * dropped on back-pressure. 429 and 503 are waited out (Retry-After, else 1 s; at least 100 ms, at most 30 s), network
 * errors with exponential backoff (250 ms · 2^attempt, at most 30 s), each up to `maxAttempts`; a 400 that lists
 * per-item results (no item was acceptable) is an answer, not an error; anything else throws with the server's message.
 */

/** One item's outcome, in the order sent. */
export type BatchItemOutcome = { status: 'accepted'; duplicateInBatch?: boolean } | { status: 'rejected'; code: string; message: string };

export interface EventBatchClientOptions {
  /** Ingestion's base URL, e.g. http://127.0.0.1:3001. */
  url: string;
  /** A tenant API key (Bearer). */
  key: string;
  /** Query parameters, e.g. { mode: 'backfill', stream: 'job-42' }. */
  query?: Record<string, string>;
  /** Attempts per batch before giving up (default 10). */
  maxAttempts?: number;
  /** Called before each wait, with why (`429`, `503`, `unreachable`) and for how long. */
  onWait?: (why: string, ms: number) => void;
}

interface BatchAnswer {
  results?: ({ status: 'accepted'; duplicateInBatch?: boolean } | { status: 'rejected'; code: string; message: string })[];
  error?: { code?: string; message?: string; details?: { results?: BatchAnswer['results'] } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Returns a function that posts one batch and resolves with one outcome per event, once ingestion acknowledged it. */
export function eventBatchClient(
  opts: EventBatchClientOptions,
): (events: readonly unknown[], query?: Record<string, string>) => Promise<BatchItemOutcome[]> {
  const maxAttempts = opts.maxAttempts ?? 10;
  const base = `${opts.url.replace(/\/$/, '')}/v1/events/batch`;
  return async (events, query) => {
    const q = new URLSearchParams({ ...opts.query, ...query }).toString();
    const target = q ? `${base}?${q}` : base;
    const body = JSON.stringify(events);
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.key}` },
          body,
        });
      } catch (e) {
        if (attempt >= maxAttempts) throw new Error(`ingestion unreachable at ${opts.url}: ${e instanceof Error ? e.message : String(e)}`);
        const ms = Math.min(30_000, 250 * 2 ** attempt);
        opts.onWait?.('unreachable', ms);
        await sleep(ms);
        continue;
      }
      const answer = (await res.json().catch(() => ({}))) as BatchAnswer;
      if (res.status === 429 || res.status === 503) {
        if (attempt >= maxAttempts) throw new Error(`ingestion kept answering ${res.status}: ${answer.error?.message ?? ''}`);
        const ms = Math.min(30_000, Math.max(100, Number(res.headers.get('retry-after') ?? 1) * 1000));
        opts.onWait?.(String(res.status), ms);
        await sleep(ms);
        continue;
      }
      const results = res.status === 202 ? answer.results : answer.error?.details?.results;
      if (!results || results.length !== events.length) {
        throw new Error(`ingestion answered ${res.status} ${answer.error?.code ?? ''}: ${answer.error?.message ?? 'unexpected answer'}`);
      }
      return results.map((r): BatchItemOutcome =>
        r.status === 'accepted'
          ? { status: 'accepted', ...(r.duplicateInBatch ? { duplicateInBatch: true } : {}) }
          : { status: 'rejected', code: r.code, message: r.message },
      );
    }
  };
}
