import { FieldError } from '../../../common/http/api-envelope';
import { appRobotIdentity } from '../../../dingtalk/robot-identity';
import { BotKind } from '../../bot-kind';
import { streamApp } from './stream-app';
import { StreamSender } from './stream.sender';

/**
 * An enterprise app's robot (docs/dingtalk/stream-mode.md): work notifications to `user_ids` and/or robot messages
 * to the group `open_conversation_id`, mentioning userids; it keeps a Stream connection, through which staff write
 * to it (and 绑定 binds a group).
 */
export const streamKind: BotKind = {
  type: 'stream',
  settings: ['client_id', 'client_secret', 'agent_id', 'user_ids', 'open_conversation_id', 'at_user_ids'],
  problems(bot) {
    const problems: FieldError[] = [];
    if (!bot.clientId)
      problems.push({ field: 'client_id', message: 'client_id (AppKey) is required for a stream bot' });
    if (!bot.clientSecret) {
      problems.push({
        field: 'client_secret',
        message: 'client_secret (AppSecret) is required for a stream bot',
      });
    }
    if (!bot.agentId)
      problems.push({ field: 'agent_id', message: 'agent_id (AgentId) is required for a stream bot' });
    return problems;
  },
  channels: (bot) => [
    ...(bot.userIds.length > 0 ? (['work_notification'] as const) : []),
    ...(bot.openConversationId ? (['group_message'] as const) : []),
  ],
  mentions: ({ atUserIds }) => ({ atMobiles: [], atAll: false, atUserIds }),
  robot: (bot) => appRobotIdentity(bot),
  connection: { app: streamApp },
  sender: StreamSender,
};
