import { Controller, Get, HttpCode, HttpStatus, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiEnvelope, ApiErrors, ApiPageEnvelope } from '../common/http/api-docs.decorators';
import { Page } from '../common/http/pagination.dto';
import { ListNotificationsQuery } from './dto/list-notifications.query';
import { NotificationDetailResponse, NotificationResponse } from './dto/notification.response';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@ApiErrors(HttpStatus.BAD_REQUEST, HttpStatus.UNAUTHORIZED)
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'The delivery log of the stores you manage, newest first' })
  @ApiPageEnvelope(NotificationResponse)
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListNotificationsQuery,
  ): Promise<Page<NotificationResponse>> {
    return this.notifications.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One notification, with every attempt to send it' })
  @ApiEnvelope(NotificationDetailResponse)
  @ApiErrors(HttpStatus.NOT_FOUND)
  get(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIntPipe) id: number,
  ): Promise<NotificationDetailResponse> {
    return this.notifications.get(user, id);
  }

  @Post(':id/resend')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Queue a notification again',
    description: 'Due at once, with a fresh retry schedule; the attempts so far stay in its log.',
  })
  @ApiEnvelope(NotificationDetailResponse)
  @ApiErrors(HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  resend(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIntPipe) id: number,
  ): Promise<NotificationDetailResponse> {
    return this.notifications.resend(user, id);
  }
}
