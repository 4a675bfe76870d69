import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { RawResponse } from '../common/http/envelope.interceptor';
import { StreamConnectionService } from '../stream/stream-connection.service';

class StreamHealth {
  @ApiProperty({ type: 'integer', example: 2 })
  connected: number;
  @ApiProperty({ type: 'integer', example: 2 })
  total: number;
}

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status: 'ok' | 'error';
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  db: 'up' | 'down';
  @ApiProperty({ type: StreamHealth })
  stream: StreamHealth;
}

const DB_PING_TIMEOUT_MS = 3_000;

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly stream: StreamConnectionService,
  ) {}

  /** 200 while the database answers, 503 when it does not (a disconnected stream bot is no reason). */
  @Get()
  @Public()
  @RawResponse()
  @ApiOperation({
    summary: 'Is the service up? 200 while the database answers, 503 when it does not',
    description: 'No token needed. Not wrapped in the envelope, so load balancers can read it as it is.',
  })
  @ApiOkResponse({ type: HealthResponse, description: 'The database answers' })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'The database does not answer' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const db = await this.health
      .check([() => this.database.pingCheck('database', { timeout: DB_PING_TIMEOUT_MS })])
      .then(() => 'up' as const)
      .catch(() => 'down' as const);
    if (db === 'down') void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: db === 'up' ? 'ok' : 'error', db, stream: this.stream.summary() };
  }
}
