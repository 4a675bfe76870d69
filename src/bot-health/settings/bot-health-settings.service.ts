import { ForbiddenException, Injectable } from '@nestjs/common';
import { AuthUser } from '../../auth/auth-user';
import { Clock } from '../../common/clock';
import { BotHealthSettingsResponse, UpdateBotHealthSettingsDto } from '../dto/bot-health-settings.dto';
import { BotHealthSettings, BotHealthSettingsRepository } from './bot-health-settings.repository';

/** Reading the settings is for every caller; changing them, which affects every store, for an admin. */
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
    if (user.role !== 'admin') throw new ForbiddenException(ADMIN_ONLY);
    const updated = await this.settings.update(
      { unreachableAfterSeconds: request.unreachable_after_seconds },
      user.sub,
      new Date(this.clock.now()),
    );
    return toResponse(updated);
  }
}

export const ADMIN_ONLY = 'Only an admin changes how bot health is judged: it applies to every store';

function toResponse(settings: BotHealthSettings): BotHealthSettingsResponse {
  return {
    unreachable_after_seconds: settings.unreachableAfterSeconds,
    updated_at: settings.updatedAt.toISOString(),
    updated_by: settings.updatedBy,
  };
}
