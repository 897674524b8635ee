import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { describeServiceTopics, ServiceTopics } from './service-topics';
import { SERVICE_NAME } from './tokens';
import type { ServiceName } from '@livepromo/contracts';

/** GET /v1/status: which topics a service consumes and produces. Mounted by PlatformModule in every service. */
@ApiTags('status')
@Controller('status')
export class StatusController {
  constructor(@Inject(SERVICE_NAME) private readonly service: ServiceName) {}

  @Get()
  @ApiOperation({ summary: 'Which topics this service consumes and produces' })
  @ApiOkResponse({ description: 'service name, consumed and produced topics (from the contracts registry)' })
  status(): ServiceTopics {
    return describeServiceTopics(this.service);
  }
}
