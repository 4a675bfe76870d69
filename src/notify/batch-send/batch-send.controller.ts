import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/current-user.decorator';
import { ApiEnvelope, ApiErrors } from '../../common/http/api-docs.decorators';
import { BatchSendDto, BatchSendResponse } from './batch-send.dto';
import { BatchSendService } from './batch-send.service';

@ApiTags('dingtalk-bots')
@ApiBearerAuth()
@ApiErrors(HttpStatus.BAD_REQUEST, HttpStatus.UNAUTHORIZED)
@Controller('dingtalk-bots')
export class BatchSendController {
  constructor(private readonly batch: BatchSendService) {}

  @Post('batch-send')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send one message to several bots',
    description:
      'To `bot_ids`, or to every enabled bot of `store_id`: one notification per bot, delivered by the queue ' +
      '(rate limits, retries, delivery log). Disabled bots and stream bots without a target are skipped, with the reason.',
  })
  @ApiEnvelope(BatchSendResponse, HttpStatus.ACCEPTED)
  @ApiErrors(HttpStatus.FORBIDDEN)
  send(@CurrentUser() user: AuthUser, @Body() request: BatchSendDto): Promise<BatchSendResponse> {
    return this.batch.send(user, request);
  }
}
