import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '@livepromo/observability';

/**
 * An in-memory copy of rows in Postgres that every replica needs on the hot path (test accounts, erasure tombstones):
 * loaded at boot, reloaded every `refreshMs` so replicas converge; a failed reload keeps the last copy and says so.
 */
export abstract class RefreshedDirectory implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  protected constructor(
    private readonly what: string,
    private readonly refreshMs: number,
    protected readonly log: JsonLogger,
  ) {}

  abstract reload(): Promise<void>;

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((e: unknown) => this.log.warn(`${this.what} reload failed`, { error: String(e) }));
    }, this.refreshMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
