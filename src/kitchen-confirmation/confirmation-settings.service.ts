import { Injectable, NotFoundException } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { assertCanSee, canAccessStore } from '../auth/store-scope';
import { Clock } from '../common/clock';
import { FieldError } from '../common/http/api-envelope';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import { AppConfig } from '../config/app-config';
import { DingTalkBotRepository } from '../dingtalk-bot/dingtalk-bot.repository';
import { ConfirmationSettings, ConfirmationSettingsRepository } from './confirmation-settings.repository';
import { ConfirmationSettingsResponse, UpdateConfirmationSettingsDto } from './dto/confirmation-settings.dto';

/** A store's kitchen confirmation settings, for an admin or that store's admin (docs/confirmation.md). */
@Injectable()
export class ConfirmationSettingsService {
  constructor(
    private readonly settings: ConfirmationSettingsRepository,
    private readonly bots: DingTalkBotRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async get(user: AuthUser, storeId: number): Promise<ConfirmationSettingsResponse> {
    assertCanSee(user, storeId, () => notFound(storeId));
    return this.toResponse(await this.settings.get(storeId));
  }

  async update(
    user: AuthUser,
    storeId: number,
    request: UpdateConfirmationSettingsDto,
  ): Promise<ConfirmationSettingsResponse> {
    assertCanSee(user, storeId, () => notFound(storeId));
    const current = await this.settings.get(storeId);
    const next: ConfirmationSettings = {
      ...current,
      ...(request.enabled !== undefined && { enabled: request.enabled }),
      ...(request.buttons !== undefined && {
        buttons: request.buttons.map(({ action, label }) => ({ action, label: label.trim() })),
      }),
      ...(request.reminder_after_minutes !== undefined && {
        reminderAfterMinutes: request.reminder_after_minutes,
      }),
      ...(request.reminder_at_user_ids !== undefined && { reminderAtUserIds: request.reminder_at_user_ids }),
      ...(request.reminder_at_mobiles !== undefined && { reminderAtMobiles: request.reminder_at_mobiles }),
      ...(request.escalation_after_minutes !== undefined && {
        escalationAfterMinutes: request.escalation_after_minutes,
      }),
      ...(request.escalation_bot_id !== undefined && { escalationBotId: request.escalation_bot_id }),
    };
    const errors = await this.check(user, next, request);
    if (errors.length > 0) throw new ValidationFailedException(errors);
    return this.toResponse(await this.settings.put(next, new Date(this.clock.now())));
  }

  /** The rules between fields, on the settings as they would be (a PUT may change one field of a pair). */
  private async check(
    user: AuthUser,
    next: ConfirmationSettings,
    request: UpdateConfirmationSettingsDto,
  ): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    const actions = next.buttons.map((button) => button.action);
    if (new Set(actions).size !== actions.length) {
      errors.push({ field: 'buttons', message: 'buttons must have different actions' });
    }
    const labels = next.buttons.map((button) => button.label);
    if (new Set(labels).size !== labels.length) {
      errors.push({ field: 'buttons', message: 'buttons must have different labels' });
    }
    const {
      reminderAfterMinutes: reminder,
      escalationAfterMinutes: escalation,
      escalationBotId: botId,
    } = next;
    // The field the request gave is the one to blame; else the other of the pair.
    const blame = (a: keyof UpdateConfirmationSettingsDto, b: keyof UpdateConfirmationSettingsDto) =>
      request[a] !== undefined ? a : b;
    if (reminder !== null && escalation !== null && escalation <= reminder) {
      errors.push({
        field: blame('escalation_after_minutes', 'reminder_after_minutes'),
        message: `escalation_after_minutes (${escalation}) must be later than reminder_after_minutes (${reminder})`,
      });
    }
    if (escalation !== null && botId === null) {
      // The missing half of the pair is the field to fix.
      errors.push({
        field: 'escalation_bot_id',
        message: 'escalation_after_minutes needs escalation_bot_id: the bot the escalation goes to',
      });
    }
    if (botId !== null && escalation === null) {
      errors.push({
        field: 'escalation_after_minutes',
        message: 'escalation_bot_id needs escalation_after_minutes: when the escalation goes',
      });
    }
    if (reminder === null && (next.reminderAtUserIds.length > 0 || next.reminderAtMobiles.length > 0)) {
      if (request.reminder_at_user_ids !== undefined || request.reminder_at_mobiles !== undefined) {
        errors.push({
          field: request.reminder_at_user_ids !== undefined ? 'reminder_at_user_ids' : 'reminder_at_mobiles',
          message: 'reminder mentions need reminder_after_minutes: when the reminder goes',
        });
      }
    }
    if (botId !== null && request.escalation_bot_id !== undefined) {
      const [bot] = await this.bots.botsByIds([botId]);
      // A store admin names a bot of its own stores (another store's group is not theirs to post into); another
      // store's bot reads as missing, as everywhere else.
      if (!bot || !canAccessStore(user, bot.storeId)) {
        errors.push({ field: 'escalation_bot_id', message: `escalation_bot_id: no DingTalk bot ${botId}` });
      }
    }
    return errors;
  }

  private toResponse(settings: ConfirmationSettings): ConfirmationSettingsResponse {
    return {
      store_id: settings.storeId,
      enabled: settings.enabled,
      buttons: settings.buttons.map(({ action, label }) => ({ action, label })),
      reminder_after_minutes: settings.reminderAfterMinutes,
      reminder_at_user_ids: settings.reminderAtUserIds,
      reminder_at_mobiles: settings.reminderAtMobiles,
      escalation_after_minutes: settings.escalationAfterMinutes,
      escalation_bot_id: settings.escalationBotId,
      webhook_buttons_unavailable:
        this.config.confirmation.publicUrl === null
          ? "PUBLIC_URL is not set: webhook bots' reports go without buttons (docs/confirmation.md)"
          : null,
      updated_at: settings.updatedAt?.toISOString() ?? null,
    };
  }
}

function notFound(storeId: number): NotFoundException {
  return new NotFoundException(`Store ${storeId} not found`);
}
