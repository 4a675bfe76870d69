import { Body, Controller, Get, HttpStatus, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ADMIN_ONLY_MESSAGE, AdminOnly } from '../../auth/admin-only';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/current-user.decorator';
import {
  ApiEnvelope,
  ApiErrors,
  ApiJsonBody,
  fieldError,
  STANDARD_ERRORS,
} from '../../common/http/api-docs.decorators';
import { BotHealthSettingsResponse, UpdateBotHealthSettingsDto } from '../dto/bot-health-settings.dto';
import { BotHealthSettingsService } from './bot-health-settings.service';

@ApiTags('bot-health')
@ApiBearerAuth()
@ApiErrors(STANDARD_ERRORS.unauthorized, STANDARD_ERRORS.invalidToken)
@Controller('bot-health/settings')
export class BotHealthSettingsController {
  constructor(private readonly settings: BotHealthSettingsService) {}

  @Get()
  @ApiOperation({ summary: 'How bot health is judged and alerted (docs/bot-health.md)' })
  @ApiEnvelope(BotHealthSettingsResponse)
  get(): Promise<BotHealthSettingsResponse> {
    return this.settings.get();
  }

  @Put()
  @AdminOnly()
  @ApiOperation({
    summary: 'Change how bot health is judged and alerted (admin)',
    description: 'Any subset of the settings; they apply to every bot of every store, on every instance.',
  })
  @ApiJsonBody(
    UpdateBotHealthSettingsDto,
    {
      tenMinutes: {
        summary: 'A Stream connection down for 10 minutes makes its bot broken',
        value: { unreachable_after_seconds: 600 },
      },
      calmer: {
        summary: 'Alert a change only once it has lasted two minutes; remind twice a day',
        value: { alert_quiet_period_seconds: 120, alert_reminder_hours: 12 },
      },
    },
    fieldError(
      'unreachable_after_seconds',
      'unreachable_after_seconds must be a whole number from 10 to 86400',
    ),
    { status: HttpStatus.FORBIDDEN, msg: ADMIN_ONLY_MESSAGE },
  )
  @ApiEnvelope(BotHealthSettingsResponse)
  update(
    @CurrentUser() user: AuthUser,
    @Body() request: UpdateBotHealthSettingsDto,
  ): Promise<BotHealthSettingsResponse> {
    return this.settings.update(user, request);
  }
}
