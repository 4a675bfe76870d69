import { createHash } from 'node:crypto';
import { BotWithSecrets } from '../dingtalk-bot/bot-fields';
import { SupervisedBot } from './stream-bot.supervisor';

/** The bot as a connection needs it, or null when it should have none. */
export function connectable(bot: BotWithSecrets): SupervisedBot | null {
  if (bot.botType !== 'stream' || !bot.isEnabled || !bot.clientId || !bot.clientSecret) return null;
  return {
    id: bot.id,
    storeId: bot.storeId,
    app: { clientId: bot.clientId, clientSecret: bot.clientSecret, agentId: bot.agentId },
  };
}

export function fingerprint(bot: SupervisedBot): string {
  return createHash('sha256').update(`${bot.app.clientId}\n${bot.app.clientSecret}`).digest('hex');
}
