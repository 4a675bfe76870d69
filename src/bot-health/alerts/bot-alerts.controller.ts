import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/current-user.decorator';
import { ApiErrors, ApiPageEnvelope, STANDARD_ERRORS } from '../../common/http/api-docs.decorators';
import { Page } from '../../common/http/pagination.dto';
import { BotAlertResponse, ListBotAlertsQuery } from '../dto/bot-alert.dto';
import { BotAlertsService } from './bot-alerts.service';

@ApiTags('alerts')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
@Controller('bot-alerts')
export class BotAlertsController {
  constructor(private readonly alerts: BotAlertsService) {}

  @Get()
  @ApiOperation({
    summary: 'The alerts sent about bots of the stores you manage, newest first',
    description: 'A bot broke, recovered, or was still broken (the reminder): docs/bot-health.md, Alerts.',
  })
  @ApiPageEnvelope(BotAlertResponse)
  list(@CurrentUser() user: AuthUser, @Query() query: ListBotAlertsQuery): Promise<Page<BotAlertResponse>> {
    return this.alerts.list(user, query);
  }
}
