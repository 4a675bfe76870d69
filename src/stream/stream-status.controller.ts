import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiEnvelope, ApiErrors, STANDARD_ERRORS } from '../common/http/api-docs.decorators';
import { StreamStatusResponse } from './dto/stream-status.response';
import { StreamStatusService } from './stream-status.service';

@ApiTags('stream')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
@Controller('stream')
export class StreamStatusController {
  constructor(private readonly status: StreamStatusService) {}

  @Get('status')
  @ApiOperation({
    summary: 'Stream connections of the stream bots you can see, across every instance',
    description:
      'An admin sees every stream bot; a store_admin the bots of the stores it manages. Every instance answers ' +
      'for the whole cluster: which instance holds each bot, its state and since when, and the live instances ' +
      'with their last heartbeat.',
  })
  @ApiEnvelope(StreamStatusResponse)
  get(@CurrentUser() user: AuthUser): Promise<StreamStatusResponse> {
    return this.status.statusFor(user);
  }
}
