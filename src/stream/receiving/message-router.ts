import { Inject, Injectable } from '@nestjs/common';
import { STREAM_BOTS, StreamBot, StreamBots } from '../stream-bots';
import { BotMessage } from './bot-message';
import { RoutingRepository } from './routing.repository';

/** Where a message to an app goes: a store's bot, or nowhere yet, and why. */
export type Route =
  /** `by`: the bot's group, the sender's binding, or the only bot, without a group, of an app never shared. */
  | { kind: 'bot'; bot: StreamBot; by: 'group' | 'sender' | 'only_bot' }
  /** A group no bot of the app has as its `open_conversation_id` (nor takes as the app's only bot). */
  | { kind: 'unlinked_group'; conversationId: string }
  /** A group whose bot of the app is switched off: its store's still, nobody else's. */
  | { kind: 'disabled_group'; conversationId: string }
  /** A one-to-one chat (or a group message without a group id) from someone not bound to a store. */
  | { kind: 'unbound_sender' }
  /** The app has no enabled bot (disabled or deleted since the message was pushed). */
  | { kind: 'no_bot' };

/**
 * Which store's bot a message to an app is for (docs/stream-connections.md, Messages from staff): a group's message
 * goes to the bot whose `open_conversation_id` is that group; a one-to-one message to the bot of the store its
 * sender bound themselves to (绑定 in that store's group). An app that has only ever served one store, whose one
 * enabled bot has no group, is an app upgraded from one app per store: every message is that bot's, as before apps
 * were shared. One statement per message, and one more for a one-to-one chat.
 */
@Injectable()
export class MessageRouter {
  constructor(
    @Inject(STREAM_BOTS) private readonly bots: StreamBots,
    private readonly routing: RoutingRepository,
  ) {}

  async route(appId: number, message: BotMessage): Promise<Route> {
    if (message.conversationType === '2' && message.conversationId) {
      const { bot, enabledBots, groupHeld, appShared } = await this.bots.messageBot(appId, {
        conversationId: message.conversationId,
      });
      if (!bot) return { kind: 'no_bot' };
      if (bot.openConversationId === message.conversationId) return { kind: 'bot', bot, by: 'group' };
      // A group another bot holds (switched off) is that bot's store's, never the only enabled bot's.
      if (groupHeld) return { kind: 'disabled_group', conversationId: message.conversationId };
      if (servesAnyGroup(bot, enabledBots, appShared)) return { kind: 'bot', bot, by: 'only_bot' };
      return { kind: 'unlinked_group', conversationId: message.conversationId };
    }
    const storeId = message.senderStaffId
      ? await this.routing.boundStore(appId, message.senderStaffId)
      : null;
    const { bot, enabledBots, appShared } = await this.bots.messageBot(appId, { storeId });
    if (!bot) return { kind: 'no_bot' };
    if (storeId !== null && bot.storeId === storeId) return { kind: 'bot', bot, by: 'sender' };
    // A sender bound to another store (its bot switched off) is that store's, never the only enabled bot's.
    if (storeId === null && servesAnyGroup(bot, enabledBots, appShared))
      return { kind: 'bot', bot, by: 'only_bot' };
    return { kind: 'unbound_sender' };
  }
}

/**
 * The app's only enabled bot takes every message only while it has no group of its own and the app has only ever
 * served its store (the shape of an app that served one store before apps were shared): once it has a group, another
 * group is not its store's, nor is an unbound sender. Once a bot of another store has been on the app, the other
 * groups and senders may be that store's (its robot stays in its groups when its bot is deleted), and nothing says
 * which: they are nobody's. Even then it never takes a group or a sender that is another store's (the caller checks).
 */
function servesAnyGroup(bot: StreamBot, enabledBots: number, appShared: boolean): boolean {
  return !appShared && enabledBots === 1 && bot.openConversationId === null;
}
