import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthRegistry, Metrics } from '@livepromo/observability';

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthRegistry) private readonly health: HealthRegistry) {}

  /** The process is up (no dependency checks): restart it only if this fails. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Ready only when Kafka, Postgres and Redis answer: 200 or 503 with each check. */
  @Get('ready')
  async ready(@Res() res: Response) {
    const report = await this.health.run();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  }
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() res: Response) {
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
