import { FieldError } from '../common/http/api-envelope';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import { BotField, BotFields } from './bot-fields';
import { CreateDingTalkBotDto } from './dto/create-dingtalk-bot.dto';
import { BotType } from './entities/dingtalk-bot.entity';
import { webhookUrlProblem } from './webhook-url';

/** Request field → BotFields key. */
const FIELD_OF: Record<keyof CreateDingTalkBotDto, BotField> = {
  name: 'name',
  store_id: 'storeId',
  bot_type: 'botType',
  msg_type: 'msgType',
  is_enabled: 'isEnabled',
  webhook: 'webhook',
  secret: 'secret',
  at_mobiles: 'atMobiles',
  at_all: 'atAll',
  client_id: 'clientId',
  client_secret: 'clientSecret',
  agent_id: 'agentId',
  user_ids: 'userIds',
  open_conversation_id: 'openConversationId',
  at_user_ids: 'atUserIds',
  rate_limit_per_minute: 'rateLimitPerMinute',
  template_id: 'templateId',
  daily_summary_at: 'dailySummaryAt',
};

/** The request fields the rules read. */
export const REQUEST_FIELDS: ReadonlySet<string> = new Set(Object.keys(FIELD_OF));

/** The fields that only mean something for one kind of bot. */
const TYPE_FIELDS: Record<BotType, ReadonlyArray<keyof CreateDingTalkBotDto>> = {
  webhook: ['webhook', 'secret', 'at_mobiles', 'at_all'],
  stream: ['client_id', 'client_secret', 'agent_id', 'user_ids', 'open_conversation_id', 'at_user_ids'],
};

const EMPTY: Pick<
  BotFields,
  | 'webhook'
  | 'secret'
  | 'atMobiles'
  | 'atAll'
  | 'clientId'
  | 'clientSecret'
  | 'agentId'
  | 'userIds'
  | 'openConversationId'
  | 'atUserIds'
> = {
  webhook: null,
  secret: null,
  atMobiles: [],
  atAll: false,
  clientId: null,
  clientSecret: null,
  agentId: null,
  userIds: [],
  openConversationId: null,
  atUserIds: [],
};

/**
 * Applies a create or update request to a bot and checks the result as a whole (PUT takes any subset,
 * the merged bot must be valid). Switching `bot_type` clears the other type's settings, so that a bot never
 * keeps credentials it no longer uses; setting another type's field explicitly is an error that says so.
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
  const otherType: BotType = botType === 'webhook' ? 'stream' : 'webhook';
  const errors: FieldError[] = [];

  for (const field of TYPE_FIELDS[otherType]) {
    if (isSet(request[field])) errors.push({ field, message: `${field} applies to ${otherType} bots only` });
  }

  const next: BotFields = { ...base, storeId };
  if (botType !== base.botType) Object.assign(next, EMPTY);
  for (const [field, key] of Object.entries(FIELD_OF) as Array<[keyof CreateDingTalkBotDto, BotField]>) {
    const value = request[field];
    if (value !== undefined && field !== 'store_id')
      (next as unknown as Record<string, unknown>)[key] = value;
  }
  next.botType = botType;

  if (current === null && request.name === undefined)
    errors.push({ field: 'name', message: 'name is required' });
  if (botType === 'webhook') {
    if (!next.webhook) errors.push({ field: 'webhook', message: 'webhook is required for a webhook bot' });
    else {
      const problem = webhookUrlProblem(next.webhook, webhookOrigins);
      if (problem) errors.push({ field: 'webhook', message: problem });
    }
  } else {
    if (!next.clientId)
      errors.push({ field: 'client_id', message: 'client_id (AppKey) is required for a stream bot' });
    if (!next.clientSecret) {
      errors.push({
        field: 'client_secret',
        message: 'client_secret (AppSecret) is required for a stream bot',
      });
    }
    if (!next.agentId)
      errors.push({ field: 'agent_id', message: 'agent_id (AgentId) is required for a stream bot' });
  }
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
