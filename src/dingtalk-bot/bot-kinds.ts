import { BotKind, KindSetting, Mentions } from './bot-kind';
import { streamKind } from './kinds/stream/stream.kind';
import { webhookKind } from './kinds/webhook/webhook.kind';

/**
 * The kinds of bot, by `bot_type`. A kind is a folder under kinds/ and one line here; a test suite adds its own
 * with registerBotKind before it starts the application (test/support/kinds/).
 *
 * A catalogue filled when this file loads, not a DI provider: the DTOs' validation of `bot_type` and the message
 * composition's pure functions (a bot's channels and mentions) ask it without an injector at hand.
 */
const kinds = new Map<string, BotKind>();

/** Adds a kind of bot; its sender is made when the application starts (notify's BotSenderRegistry). */
export function registerBotKind(kind: BotKind): void {
  if (kinds.has(kind.type)) throw new Error(`A bot kind '${kind.type}' is registered already`);
  kinds.set(kind.type, kind);
}

registerBotKind(webhookKind);
registerBotKind(streamKind);

/** The kinds this service is built with (the API documents these); tests may add others. */
export const BOT_TYPES: readonly string[] = [...kinds.keys()];

/** The kind of a bot; a stored bot's type is always registered, so another is a defect, not a user's error. */
export function botKind(type: string): BotKind {
  const kind = kinds.get(type);
  if (!kind) throw new Error(`No bot kind '${type}' is registered`);
  return kind;
}

/** Every registered kind, in the order of registration. */
export function botKinds(): readonly BotKind[] {
  return [...kinds.values()];
}

export function isBotType(value: unknown): value is string {
  return typeof value === 'string' && kinds.has(value);
}

/** The kinds that use a setting (webhook's `secret`: the webhook kind). */
export function kindsUsing(setting: KindSetting): string[] {
  return botKinds()
    .filter((kind) => kind.settings.includes(setting))
    .map((kind) => kind.type);
}

/** A bot's own mentions, as its kind makes them: what its notifications and its test message carry. */
export function botMentions(bot: Mentions & { botType: string }): Mentions {
  return botKind(bot.botType).mentions(bot);
}

/** The kinds that keep a Stream connection (their bots are the stream module's). */
export function connectedKinds(): string[] {
  return botKinds()
    .filter((kind) => kind.connection !== undefined)
    .map((kind) => kind.type);
}
