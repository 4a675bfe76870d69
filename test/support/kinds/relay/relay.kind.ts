import { createHash } from 'node:crypto';
import { BotKind } from '../../../../src/dingtalk-bot/bot-kind';
import { RelaySender } from './relay.sender';

/**
 * A kind of bot that only the test suite registers (registerBotKind): it relays each message as JSON to a local HTTP
 * server (relay-inbox.ts). It shows what adding a kind takes: this folder and one registration, nothing else in
 * src/. Its bots keep their URL in `webhook` and mention mobiles; they keep no connection.
 */
export const relayKind: BotKind = {
  type: 'relay',
  settings: ['webhook', 'at_mobiles'],
  problems(bot) {
    if (!bot.webhook) return [{ field: 'webhook', message: 'webhook is required for a relay bot' }];
    const url = URL.parse(bot.webhook);
    // Local only: the relay is a test double, never a way to post anywhere.
    if (url?.protocol !== 'http:' || url.hostname !== '127.0.0.1')
      return [{ field: 'webhook', message: 'webhook of a relay bot must be http://127.0.0.1:…' }];
    return [];
  },
  channels: () => ['webhook'],
  mentions: ({ atMobiles }) => ({ atMobiles, atAll: false, atUserIds: [] }),
  robot: (bot) => ({
    robotKey: bot.webhook ? `r:${createHash('sha256').update(bot.webhook).digest('hex')}` : null,
    appKey: null,
  }),
  sender: RelaySender,
};
