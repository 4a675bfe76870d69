import { FieldError } from '../common/http/api-envelope';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import { BotField, BotFields } from './bot-fields';
import { INLINE_APP_SETTINGS, InlineAppSetting, KIND_SETTINGS, KindSetting } from './bot-kind';
import { botKind, kindsUsing } from './bot-kinds';
import { CreateDingTalkBotDto } from './dto/create-dingtalk-bot.dto';

/** Request field → BotFields key. */
const FIELD_OF = {
  name: 'name',
  store_id: 'storeId',
  bot_type: 'botType',
  msg_type: 'msgType',
  is_enabled: 'isEnabled',
  webhook: 'webhook',
  secret: 'secret',
  at_mobiles: 'atMobiles',
  at_all: 'atAll',
  app_id: 'appId',
  user_ids: 'userIds',
  open_conversation_id: 'openConversationId',
  at_user_ids: 'atUserIds',
  card_template_id: 'cardTemplateId',
  rate_limit_per_minute: 'rateLimitPerMinute',
  template_id: 'templateId',
  daily_summary_at: 'dailySummaryAt',
} as const satisfies Record<Exclude<keyof CreateDingTalkBotDto, InlineAppSetting>, BotField>;

/** The request fields the rules read. */
export const REQUEST_FIELDS: ReadonlySet<string> = new Set([
  ...Object.keys(FIELD_OF),
  ...INLINE_APP_SETTINGS,
]);

/** The kinds' settings when unset: a bot has none of another kind's. */
const EMPTY: Pick<BotFields, (typeof FIELD_OF)[Exclude<KindSetting, InlineAppSetting>]> = {
  webhook: null,
  secret: null,
  atMobiles: [],
  atAll: false,
  appId: null,
  userIds: [],
  openConversationId: null,
  atUserIds: [],
  cardTemplateId: null,
};

/**
 * Applies a create or update request to a bot and checks the result as a whole (PUT takes any subset,
 * the merged bot must be valid), with its kind's rules. Switching `bot_type` clears the other kinds' settings, so
 * that a bot never keeps credentials it no longer uses; setting another kind's field explicitly is an error that
 * says so.
 */
export function applyBotChanges(
  current: BotFields | null,
  request: Partial<CreateDingTalkBotDto>,
  storeId: number,
  webhookOrigins: readonly string[],
): BotFields {
  const base: BotFields = current ?? {
    name: '',
    storeId,
    botType: 'webhook',
    msgType: 'markdown',
    isEnabled: true,
    rateLimitPerMinute: 20,
    templateId: null,
    dailySummaryAt: null,
    ...EMPTY,
  };
  const botType = request.bot_type ?? base.botType;
  // The pipe has refused an unknown bot_type (IsBotType), and a stored bot's is registered.
  const kind = botKind(botType);
  const errors: FieldError[] = [];

  const requested: Partial<Record<KindSetting, unknown>> = {};
  for (const field of KIND_SETTINGS) {
    if (!kind.settings.includes(field) && isSet(request[field]))
      errors.push({ field, message: `${field} applies to ${kindsUsing(field).join(' and ')} bots only` });
    if (request[field] !== undefined && request[field] !== null) requested[field] = request[field];
  }

  const next: BotFields = { ...base, storeId };
  if (botType !== base.botType) Object.assign(next, EMPTY);
  for (const [field, key] of Object.entries(FIELD_OF) as Array<[keyof typeof FIELD_OF, BotField]>) {
    const value = request[field];
    if (value !== undefined && field !== 'store_id')
      (next as unknown as Record<string, unknown>)[key] = value;
  }
  next.botType = botType;

  if (current === null && request.name === undefined)
    errors.push({ field: 'name', message: 'name is required' });
  errors.push(...kind.problems(next, { webhookOrigins, requested }));
  if (errors.length > 0) throw new ValidationFailedException(dedupe(errors));
  return next;
}

/** The fields whose values differ (secrets compared in plain text), for the bot's update event. */
export function changedFields(before: BotFields, after: BotFields): BotField[] {
  return (Object.keys(after) as BotField[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  return !(Array.isArray(value) && value.length === 0);
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((error) => !seen.has(error.field) && seen.add(error.field));
}
