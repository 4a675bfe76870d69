import { AppCredentials } from '../../../dingtalk/app-credentials';
import { BotWithSecrets } from '../../bot-fields';

/** The enterprise app a stream bot is (its connection, its sends and its replies): null while it has none. */
export function streamApp(bot: Pick<BotWithSecrets, 'app'>): AppCredentials | null {
  return bot.app;
}
