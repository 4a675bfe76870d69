import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { RawResponse } from '../common/http/success-envelope';
import { StreamConnectionService } from '../stream/stream-connection.service';
import { DATABASE_RETRY_AFTER_SECONDS } from '../database/database-unavailable';
import { DatabaseProbe } from './database.probe';

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

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseProbe,
    private readonly stream: StreamConnectionService,
  ) {}

  /** 200 while the database answers a query, 503 (with Retry-After) while it does not. */
  @Get()
  @Public()
  @RawResponse()
  @ApiOperation({
    summary: 'Is the service up? 200 while the database answers a query, 503 when it does not',
    description:
      'No token needed. Not wrapped in the envelope, so load balancers can read it as it is. The database is asked ' +
      '`SELECT 1` with a deadline of a few seconds: a pool that has reconnected but cannot run a query yet is down.',
  })
  @ApiOkResponse({ type: HealthResponse, description: 'The database answers' })
  @ApiServiceUnavailableResponse({
    type: HealthResponse,
    description: 'The database does not answer',
    headers: {
      'Retry-After': {
        description: 'Seconds to wait before asking again',
        schema: { type: 'integer', example: DATABASE_RETRY_AFTER_SECONDS },
      },
    },
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const db = (await this.database.answers()) ? 'up' : 'down';
    if (db === 'down') {
      void reply
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    }
    return { status: db === 'up' ? 'ok' : 'error', db, stream: this.stream.summary() };
  }
}
