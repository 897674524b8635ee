import { eventBatchClient } from '@livepromo/io';
import { BatchSender, SendResult } from './file-importer';

/**
 * Posts an import's batches to POST /v1/events/batch as backfill of the run's stream, through the shared client
 * (libs/io: 429/503 and network errors waited out up to `maxAttempts`; a batch none of whose items was acceptable
 * counts as answered; anything else stops the import).
 */
export function httpBatchSender(opts: {
  url: string;
  key: string;
  maxAttempts?: number;
  onWait?: (why: string, ms: number) => void;
}): BatchSender {
  const post = eventBatchClient({ url: opts.url, key: opts.key, maxAttempts: opts.maxAttempts, onWait: opts.onWait });
  // imports are history: backfill mode (no live lateness window downstream), under this run's stream id
  return async (events, streamId) =>
    (await post(events, { mode: 'backfill', stream: streamId })).map((r): SendResult =>
      r.status === 'accepted' ? { status: 'accepted' } : { status: 'rejected', code: r.code, message: r.message },
    );
}
