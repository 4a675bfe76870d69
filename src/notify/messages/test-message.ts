import { MsgType, OutgoingMessage } from '../../dingtalk/outgoing-message';
import { BotFields } from '../../dingtalk-bot/bot-fields';

/**
 * The message of the test button. It names the bot and contains 报菜 and 通知, so that a robot guarded by one
 * of those keywords accepts it, as it will accept the real notifications.
 */
export function testMessage(bot: BotFields, now: Date): OutgoingMessage & { msgType: MsgType } {
  const when = now.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  const title = '报菜通知测试';
  return bot.msgType === 'markdown'
    ? {
        msgType: 'markdown',
        title,
        text: `#### ${title}\n机器人「${bot.name}」（门店 ${bot.storeId}）已连通报菜通知服务。\n\n> 发送时间：${when}`,
      }
    : {
        msgType: 'text',
        title,
        text: `${title}：机器人「${bot.name}」（门店 ${bot.storeId}）已连通报菜通知服务。发送时间：${when}`,
      };
}
