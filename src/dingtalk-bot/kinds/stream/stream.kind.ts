import { FieldError } from '../../../common/http/api-envelope';
import { appRobotIdentity, NO_ROBOT } from '../../../dingtalk/robot-identity';
import { BotKind } from '../../bot-kind';
import { streamApp } from './stream-app';
import { StreamSender } from './stream.sender';

/**
 * An enterprise app's robot (docs/dingtalk/stream-mode.md): work notifications to `user_ids` and/or robot messages
 * to the group `open_conversation_id`, mentioning userids. Its app (`app_id`, docs/dingtalk-apps.md) may serve many
 * bots, one per store, and keeps one Stream connection for them all, through which staff write to them.
 */
export const streamKind: BotKind = {
  type: 'stream',
  settings: [
    'app_id',
    'client_id',
    'client_secret',
    'agent_id',
    'user_ids',
    'open_conversation_id',
    'at_user_ids',
    'card_template_id',
  ],
  problems(bot, { requested }) {
    const problems: FieldError[] = [];
    const namesApp = requested.client_id !== undefined || requested.client_secret !== undefined;
    if (requested.agent_id !== undefined && !namesApp) {
      problems.push({
        field: 'agent_id',
        message:
          "agent_id is the app's: an admin changes it on the app (PUT /api/v1/dingtalk-apps/:id); with client_id and client_secret it names an app",
      });
    } else if (namesApp) {
      if (requested.app_id !== undefined) {
        problems.push({
          field: 'app_id',
          message: 'app_id and client_id/client_secret both name the app: give one of them',
        });
      }
      if (requested.client_id === undefined)
        problems.push({ field: 'client_id', message: 'client_id (AppKey) is required with client_secret' });
      if (requested.client_secret === undefined) {
        problems.push({
          field: 'client_secret',
          message: 'client_secret (AppSecret) is required with client_id',
        });
      }
    } else if (bot.appId === null) {
      problems.push({
        field: 'app_id',
        message:
          'app_id is required for a stream bot (or client_id and client_secret, to find or add its app)',
      });
    }
    return problems;
  },
  channels: (bot) => [
    ...(bot.userIds.length > 0 ? (['work_notification'] as const) : []),
    ...(bot.openConversationId ? (['group_message'] as const) : []),
  ],
  mentions: ({ atUserIds }) => ({ atMobiles: [], atAll: false, atUserIds }),
  robot: (bot) =>
    bot.app
      ? appRobotIdentity({ ...bot.app, openConversationId: bot.openConversationId, userIds: bot.userIds })
      : NO_ROBOT,
  connection: { app: streamApp },
  sender: StreamSender,
};
