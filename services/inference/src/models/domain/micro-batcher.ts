/**
 * Gathers items submitted concurrently into batches of at most `maxSize`, waiting at most
 * `maxWaitMs` after the first pending item, and hands each batch to `run` (one run at a time,
 * so one inference call serves many requests). Each submitter gets its own results back, in order.
 */
export interface MicroBatcherOptions {
  maxSize: number;
  maxWaitMs: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export interface BatcherStats {
  batches: number;
  items: number;
}

export class MicroBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly idleWaiters: (() => void)[] = [];
  readonly stats: BatcherStats = { batches: 0, items: 0 };

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly opts: MicroBatcherOptions,
  ) {
    if (!(opts.maxSize >= 1)) throw new Error('maxSize must be >= 1');
    if (!(opts.maxWaitMs >= 0)) throw new Error('maxWaitMs must be >= 0');
  }

  /** Queues the items; resolves with their outputs once every batch holding them has run. */
  submit(items: readonly I[]): Promise<O[]> {
    if (items.length === 0) return Promise.resolve([]);
    const promises = items.map(
      (item) =>
        new Promise<O>((resolve, reject) => {
          this.queue.push({ item, resolve, reject });
        }),
    );
    this.schedule();
    return Promise.all(promises);
  }

  /** Items queued or running. */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private schedule(): void {
    if (this.running) return;
    if (this.queue.length >= this.opts.maxSize || this.opts.maxWaitMs === 0) {
      this.clearTimer();
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.opts.maxWaitMs);
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async flush(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const batch = this.queue.splice(0, this.opts.maxSize);
    try {
      const out = await this.run(batch.map((p) => p.item));
      if (out.length !== batch.length) throw new Error(`batch function returned ${out.length} results for ${batch.length} items`);
      this.stats.batches++;
      this.stats.items += batch.length;
      batch.forEach((p, i) => p.resolve(out[i]));
    } catch (e) {
      batch.forEach((p) => p.reject(e));
    } finally {
      this.running = false;
    }
    if (this.queue.length > 0) {
      // What arrived while this batch ran has waited at least as long as the run took: go now.
      void this.flush();
    } else {
      this.idleWaiters.splice(0).forEach((r) => r());
    }
  }
}
