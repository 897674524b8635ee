import { BatchSender, SendResult } from './file-importer';

interface BatchAnswer {
  results?: ({ status: 'accepted' } | { status: 'rejected'; code: string; message: string })[];
  error?: { code: string; message: string; details?: { results?: BatchAnswer['results'] } };
}

/**
 * Posts batches to POST /v1/events/batch. 429 and 503 (and network errors) are waited out
 * (Retry-After, else exponential backoff) up to `maxAttempts`; a batch none of whose items was
 * acceptable (400 with per-item results) counts as answered; anything else stops the import.
 */
export function httpBatchSender(opts: { url: string; key: string; maxAttempts?: number; onWait?: (why: string, ms: number) => void }): BatchSender {
  const maxAttempts = opts.maxAttempts ?? 10;
  return async (events, streamId) => {
    const body = JSON.stringify(events);
    // imports are history: backfill mode (no live lateness window downstream), under this run's stream id
    const target = `${opts.url.replace(/\/$/, '')}/v1/events/batch?mode=backfill&stream=${encodeURIComponent(streamId)}`;
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
        await new Promise((r) => setTimeout(r, ms));
        continue;
      }
      const answer = (await res.json().catch(() => ({}))) as BatchAnswer;
      if (res.status === 429 || res.status === 503) {
        if (attempt >= maxAttempts) throw new Error(`ingestion kept answering ${res.status}: ${answer.error?.message ?? ''}`);
        const ms = Math.min(30_000, Math.max(100, Number(res.headers.get('retry-after') ?? 1) * 1000));
        opts.onWait?.(String(res.status), ms);
        await new Promise((r) => setTimeout(r, ms));
        continue;
      }
      const results = res.status === 202 ? answer.results : answer.error?.details?.results;
      if (!results || results.length !== events.length) {
        throw new Error(`ingestion answered ${res.status} ${answer.error?.code ?? ''}: ${answer.error?.message ?? 'unexpected answer'}`);
      }
      return results.map((r): SendResult => (r.status === 'accepted' ? { status: 'accepted' } : { status: 'rejected', code: r.code, message: r.message }));
    }
  };
}
