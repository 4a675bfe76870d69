import { createHash } from 'node:crypto';
import { BotWithSecrets } from '../dingtalk-bot/bot-fields';
import { botKind } from '../dingtalk-bot/bot-kinds';
import { SupervisedBot } from './stream-bot.supervisor';

/** The bot as a connection needs it, or null when it should have none. */
export function connectable(bot: BotWithSecrets): SupervisedBot | null {
  const app = bot.isEnabled ? (botKind(bot.botType).connection?.app(bot) ?? null) : null;
  return app && { id: bot.id, storeId: bot.storeId, app };
}

export function fingerprint(bot: SupervisedBot): string {
  return createHash('sha256').update(`${bot.app.clientId}\n${bot.app.clientSecret}`).digest('hex');
}
