import { Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/current-user.decorator';
import {
  ApiEnvelope,
  ApiErrors,
  ApiIdParam,
  ApiPageEnvelope,
  fieldError,
  STANDARD_ERRORS,
} from '../../common/http/api-docs.decorators';
import { Page } from '../../common/http/pagination.dto';
import { BigIntIdParam, INT8_MAX } from '../../common/http/strict-integer';
import { ListNotificationsQuery } from './dto/list-notifications.query';
import { NotificationDetailResponse, NotificationResponse } from './dto/notification.response';
import { NotificationsService } from './notifications.service';

const notFound = { status: HttpStatus.NOT_FOUND, msg: 'Notification 17 not found' };
const badId = fieldError('id', 'id must be a whole number from 1 to 9223372036854775807 (digits only)');

@ApiTags('notifications')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'The delivery log of the stores you manage, newest first' })
  @ApiPageEnvelope(NotificationResponse)
  @ApiErrors(
    fieldError(
      'status',
      'status must be one of the following values: pending, retrying, sent, failed, merged, skipped',
    ),
    fieldError('page', 'page must be a whole number from 1 to 2147483647'),
  )
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListNotificationsQuery,
  ): Promise<Page<NotificationResponse>> {
    return this.notifications.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One notification, with every attempt to send it' })
  @ApiIdParam('The notification', INT8_MAX)
  @ApiEnvelope(NotificationDetailResponse)
  @ApiErrors(badId, notFound)
  get(@CurrentUser() user: AuthUser, @BigIntIdParam() id: string): Promise<NotificationDetailResponse> {
    return this.notifications.get(user, id);
  }

  @Post(':id/resend')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Queue a notification again',
    description:
      'Due at once, with a fresh retry schedule; the attempts so far stay in its log. A test message (kind `test`) ' +
      'is not resent: press the test button again.',
  })
  @ApiIdParam('The notification', INT8_MAX)
  @ApiEnvelope(NotificationDetailResponse)
  @ApiErrors(badId, notFound, {
    status: HttpStatus.CONFLICT,
    msg: 'Notification 17 is being sent right now; try again in a moment',
  })
  resend(@CurrentUser() user: AuthUser, @BigIntIdParam() id: string): Promise<NotificationDetailResponse> {
    return this.notifications.resend(user, id);
  }
}
