import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { Public } from '../auth/public.decorator';
import { RawResponse } from '../common/http/success-envelope';

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  /** Prometheus text format (the metrics: README, Operations). */
  @Get()
  @Public()
  @RawResponse()
  @Header('Content-Type', PROMETHEUS_TEXT)
  @ApiOperation({
    summary: 'Prometheus metrics (text exposition format)',
    description:
      'No token needed. Delivery counters and durations, the queue, Stream connections, the process.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text format 0.0.4',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example:
          '# HELP dingtalk_notifications_pending Notifications waiting to be sent (pending or retrying)\n' +
          '# TYPE dingtalk_notifications_pending gauge\ndingtalk_notifications_pending 0\n',
      },
    },
  })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
