import { Injectable } from '@nestjs/common';
import { AuthUser } from '../../auth/auth-user';
import { Clock } from '../../common/clock';
import { BotHealthSettingsResponse, UpdateBotHealthSettingsDto } from '../dto/bot-health-settings.dto';
import { BotHealthSettings, BotHealthSettingsRepository } from './bot-health-settings.repository';

/** The settings as the API shows them; changing them is an admin's (the route says so). */
@Injectable()
export class BotHealthSettingsService {
  constructor(
    private readonly settings: BotHealthSettingsRepository,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<BotHealthSettingsResponse> {
    return toResponse(await this.settings.get());
  }

  async update(user: AuthUser, request: UpdateBotHealthSettingsDto): Promise<BotHealthSettingsResponse> {
    const updated = await this.settings.update(
      {
        unreachableAfterSeconds: request.unreachable_after_seconds,
        alertQuietPeriodSeconds: request.alert_quiet_period_seconds,
        alertReminderHours: request.alert_reminder_hours,
      },
      user.sub,
      new Date(this.clock.now()),
    );
    return toResponse(updated);
  }
}

function toResponse(settings: BotHealthSettings): BotHealthSettingsResponse {
  return {
    unreachable_after_seconds: settings.unreachableAfterSeconds,
    alert_quiet_period_seconds: settings.alertQuietPeriodSeconds,
    alert_reminder_hours: settings.alertReminderHours,
    updated_at: settings.updatedAt.toISOString(),
    updated_by: settings.updatedBy,
  };
}
