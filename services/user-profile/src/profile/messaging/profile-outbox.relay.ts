import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { JsonLogger } from '@livepromo/observability';
import { ProfileNoticesService } from '../application/profile-notices.service';

const RELAY_EVERY_MS = 2_000;

/** Periodically delivers `profile.updated` notices that stayed in the outbox (crash, Kafka outage). */
@Injectable()
export class ProfileOutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(ProfileNoticesService) private readonly notices: ProfileNoticesService,
    @Inject(JsonLogger) private readonly log: JsonLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.notices
        .relay()
        .then((n) => {
          if (n > 0) this.log.info('relayed queued profile notices', { count: n });
        })
        .catch((e: unknown) => this.log.warn('profile notice relay failed; will retry', { error: e instanceof Error ? e.message : String(e) }));
    }, RELAY_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
