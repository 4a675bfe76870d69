import { FieldError } from '../../../common/http/api-envelope';
import { webhookRobotIdentity } from '../../../dingtalk/robot-identity';
import { BotKind } from '../../bot-kind';
import { webhookUrlProblem } from '../../webhook-url';
import { WebhookSender } from './webhook.sender';

/**
 * A custom group robot (自定义机器人, docs/dingtalk/custom-robot.md): a signed POST to its webhook, mentioning mobiles
 * or everyone. It keeps no connection: it only sends.
 */
export const webhookKind: BotKind = {
  type: 'webhook',
  settings: ['webhook', 'secret', 'at_mobiles', 'at_all'],
  problems(bot, { webhookOrigins }) {
    const problems: FieldError[] = [];
    if (!bot.webhook) problems.push({ field: 'webhook', message: 'webhook is required for a webhook bot' });
    else {
      const problem = webhookUrlProblem(bot.webhook, webhookOrigins);
      if (problem) problems.push({ field: 'webhook', message: problem });
    }
    return problems;
  },
  channels: () => ['webhook'],
  mentions: ({ atMobiles, atAll }) => ({ atMobiles, atAll, atUserIds: [] }),
  robot: (bot) => webhookRobotIdentity(bot.webhook),
  sender: WebhookSender,
};
