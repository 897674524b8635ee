import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { describeServiceTopics, SERVICE_NAME, ServiceTopics } from '@livepromo/service-kit';
import type { ServiceName } from '@livepromo/contracts';

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
