import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../../../auth/auth-user';
import { CurrentUser } from '../../../auth/current-user.decorator';
import {
  ApiEnvelope,
  ApiErrors,
  ApiJsonBody,
  fieldError,
  STANDARD_ERRORS,
} from '../../../common/http/api-docs.decorators';
import { IDEMPOTENCY_ERRORS } from '../../../idempotency/idempotency-docs';
import { ApiIdempotencyKey, IdempotencyKey } from '../../../idempotency/idempotency-key.decorator';
import type { IdempotentRequest } from '../../../idempotency/idempotent-request';
import { BatchSendDto, BatchSendResponse } from './batch-send.dto';
import { BatchSendService } from './batch-send.service';

@ApiTags('dingtalk-bots')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
@Controller('dingtalk-bots')
export class BatchSendController {
  constructor(private readonly batch: BatchSendService) {}

  @Post('batch-send')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send one message to several bots',
    description:
      'To `bot_ids`, or to every enabled bot of `store_id`: one notification per bot, delivered by the queue ' +
      '(rate limits, retries, delivery log). Disabled bots and stream bots without a target are skipped, with the reason. ' +
      'With an `Idempotency-Key`, a retry of the same request answers the first result again and sends nothing twice.',
  })
  @ApiIdempotencyKey()
  @ApiJsonBody(
    BatchSendDto,
    {
      store: {
        summary: 'Every enabled bot of store 1',
        value: { store_id: 1, title: '盘点提醒', content: '#### 盘点提醒\n请 21:00 前完成盘点。' },
      },
    },
    fieldError('bot_ids', 'bot_ids or store_id is required'),
    fieldError('title', 'title is required for a markdown message'),
    fieldError('bot_ids', 'no such bot: 42'),
    { status: HttpStatus.FORBIDDEN, msg: 'You do not manage store 2' },
    ...IDEMPOTENCY_ERRORS,
  )
  @ApiEnvelope(BatchSendResponse, HttpStatus.ACCEPTED)
  send(
    @CurrentUser() user: AuthUser,
    @Body() request: BatchSendDto,
    @IdempotencyKey() idempotency: IdempotentRequest | undefined,
  ): Promise<BatchSendResponse> {
    return this.batch.send(user, request, idempotency);
  }
}
