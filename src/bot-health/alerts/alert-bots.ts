import { Port, port } from '../../common/port';
import { DingTalkBot } from '../../dingtalk-bot/entities/dingtalk-bot.entity';

/** A bot as alerts need it: the one alerted about (its name and store), and the one that posts an alert. */
export type AlertBot = Pick<
  DingTalkBot,
  | 'id'
  | 'name'
  | 'storeId'
  | 'botType'
  | 'msgType'
  | 'isEnabled'
  | 'atMobiles'
  | 'atAll'
  | 'userIds'
  | 'openConversationId'
  | 'atUserIds'
  | 'agentId'
>;

/** The bots, which the bots' module owns (its table). */
export interface AlertBots {
  /** The bots of `ids` that exist, in no particular order. */
  botsByIds(ids: readonly number[]): Promise<AlertBot[]>;
}

/** A port this module declares: implemented by the bots' repository, bound in src/composition.module.ts. */
export const ALERT_BOTS: Port<AlertBots> = port<AlertBots>('AlertBots');
