import { AppCredentials } from '../../../dingtalk/app-credentials';
import { BotFields } from '../../bot-fields';

/** The enterprise app a stream bot is (its connection, its sends and its replies): null while a credential lacks. */
export function streamApp(
  bot: Pick<BotFields, 'clientId' | 'clientSecret' | 'agentId'>,
): AppCredentials | null {
  if (!bot.clientId || !bot.clientSecret) return null;
  return { clientId: bot.clientId, clientSecret: bot.clientSecret, agentId: bot.agentId };
}
