import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { MetricsService } from './metrics.service';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description: 'No personal data and no secrets, and no key asked for: restrict it at the network level.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The Prometheus text exposition format, version 0.0.4',
    content: {
      'text/plain': { schema: { type: 'string', example: 'se3_ingest_events_total{result="stored",device_type="0",person_type="1"} 42' } },
    },
  })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
