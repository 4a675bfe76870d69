import { ApiPropertyOptions } from '@nestjs/swagger';
import { BOT_HEALTH_REASONS, BOT_HEALTHS } from '../../events/bot-health.events';
import { BotHealthView } from '../bot-health-reader';

/** The health fields of a bot and of its status, as both responses document them (docs/bot-health.md). */
export const HEALTH_PROPERTIES = {
  health: {
    enum: BOT_HEALTHS,
    example: 'healthy',
    description:
      'healthy; degraded while messages still get through or will by themselves (retrying, throttled, reconnecting); ' +
      'broken when nothing gets through until someone acts (DingTalk refuses the sends or the credentials, retries ' +
      "ran out, the Stream connection cannot be made, the organisation's monthly quota is used up)",
  },
  health_reason: {
    // OpenAPI 3.0: a nullable enum lists null among its values.
    enum: [...BOT_HEALTH_REASONS, null],
    nullable: true,
    example: null,
    description: 'Why it is not healthy; null when healthy',
  },
  health_detail: {
    nullable: true,
    type: String,
    example: null,
    description: "DingTalk's answer or the connection's error, e.g. `errcode 310000: sign not match`",
  },
  health_hint: {
    nullable: true,
    type: String,
    example: null,
    description: 'What to do about it, in plain words (the hint of the delivery log)',
  },
  health_since: {
    nullable: true,
    type: String,
    example: '2026-11-24T08:00:00.000Z',
    description: 'Since when the bot has had this health',
  },
} satisfies Record<string, ApiPropertyOptions>;

/** A bot's health in the responses' field names; a bot with none recorded is healthy. */
export function healthFields(view: BotHealthView | undefined) {
  return {
    health: view?.health ?? 'healthy',
    health_reason: view?.reason ?? null,
    health_detail: view?.detail ?? null,
    health_hint: view?.hint ?? null,
    health_since: view?.since.toISOString() ?? null,
  } as const;
}
