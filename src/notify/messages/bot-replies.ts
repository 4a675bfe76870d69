import { OutgoingMessage } from '../../dingtalk/outgoing-message';
import { MenuReportResponse } from '../../menu-report/dto/menu-report.response';
import { MenuReport } from '../../menu-report/entities/menu-report.entity';
import { dishLabel, formatQuantity, oneLine } from './message-text';

/**
 * What the bot answers staff, in Chinese for the stores' staff. Pure, so every wording is in one place
 * and the README can quote it.
 */

export const REPORT_FORMAT = '报菜 菜名 数量 单位，例如：报菜 宫保鸡丁 50 份';

/** Today's list is cut here: a reply must stay well under DingTalk's 20,000 bytes (docs/dingtalk/custom-robot.md). */
const MAX_TODAY_LINES = 100;

function text(content: string): OutgoingMessage {
  return { msgType: 'text', title: content.slice(0, 20), text: content };
}

export function helpReply(): OutgoingMessage {
  return text(
    [
      '可用命令：',
      `1. ${REPORT_FORMAT}（数量可带小数，如：报菜 米饭 2.5 斤；单位后可加备注）`,
      '2. 今日（或 今日报菜）：查看本门店今天的报菜',
      '3. 绑定：在群里 @我 发送，本群从此收到本门店的报菜通知',
    ].join('\n'),
  );
}

export function invalidReportReply(problem: string): OutgoingMessage {
  return text(`没有记录这次报菜：${problem}\n格式：${REPORT_FORMAT}`);
}

export function reportCreatedReply(report: MenuReportResponse): OutgoingMessage {
  const dish = dishLabel({ dishId: report.dish_id, dishName: report.dish_name });
  const remark = report.remark ? `（备注：${report.remark}）` : '';
  return text(
    `已报菜：${dish} ${formatQuantity(report.quantity)} ${report.unit}${remark}\n` +
      `门店 ${report.store_id} · 报菜编号 #${report.id} · 报菜人 ${report.reported_by}`,
  );
}

export function todayReply(
  storeId: number,
  reports: readonly MenuReport[],
  now: Date,
  timeZone: string,
): OutgoingMessage {
  const day = now.toLocaleDateString('zh-CN', { timeZone, month: 'long', day: 'numeric' });
  if (reports.length === 0) return text(`门店 ${storeId} 今天（${day}）还没有报菜。`);
  const time = (at: Date) =>
    at.toLocaleTimeString('zh-CN', { timeZone, hour12: false, hour: '2-digit', minute: '2-digit' });
  const lines = reports
    .slice(0, MAX_TODAY_LINES)
    .map(
      (report) =>
        `- ${time(report.createdAt)} ${oneLine(dishLabel(report))} **${formatQuantity(report.quantity)} ${oneLine(report.unit)}**` +
        `${report.remark ? `（${oneLine(report.remark)}）` : ''} · ${oneLine(report.reportedBy)}`,
    );
  if (reports.length > MAX_TODAY_LINES) lines.push(`- ……另有 ${reports.length - MAX_TODAY_LINES} 条`);
  return {
    msgType: 'markdown',
    title: `今日报菜（${reports.length} 条）`,
    text: [`#### 今日报菜 · 门店 ${storeId} · ${day}`, ...lines, '', `> 共 ${reports.length} 条`].join('\n'),
  };
}

export function boundReply(storeId: number): OutgoingMessage {
  return text(`绑定成功：本群将收到门店 ${storeId} 的报菜通知。`);
}

export function alreadyBoundReply(): OutgoingMessage {
  return text('本群已经绑定，无需重复绑定。');
}

export function boundElsewhereReply(): OutgoingMessage {
  return text(
    '没有更改：这个机器人已经绑定了另一个群。如要改到本群，请管理员先在后台清空它的 open_conversation_id，再在本群发送“绑定”。',
  );
}

/** Says nothing of which store has the group. */
export function groupTakenReply(): OutgoingMessage {
  return text(
    '没有更改：本群已关联本应用的另一个机器人。如要改到这个机器人，请管理员先在后台清空那个机器人的 open_conversation_id。',
  );
}

export function bindNeedsGroupReply(): OutgoingMessage {
  return text('绑定要在群里进行：请把机器人加入门店群，在群里 @我 发送“绑定”。');
}

export function botGoneReply(): OutgoingMessage {
  return text('这个机器人已不是门店的 Stream 机器人，无法绑定。');
}

export function failedReply(): OutgoingMessage {
  return text('抱歉，处理失败了，请稍后再试。');
}

/**
 * A group no store's bot is linked to (an app shared by many stores): said at most once a day per group. It names
 * the group's open_conversation_id, on a line of its own, for an admin to copy into the store's bot: nobody in the
 * group can see it otherwise, and an upgraded app's groupless bot stops taking the group once a second bot joins.
 */
export function groupNotLinkedReply(openConversationId: string): OutgoingMessage {
  return text(
    '本群还没有关联门店，消息不会记录。请管理员在后台把门店机器人的 open_conversation_id 设为本群的：\n' +
      `${openConversationId}\n（此提示每天最多一次）`,
  );
}

/**
 * A group whose store's bot is switched off: nothing is recorded, and it is not another store's to take. Said at most
 * once a day per group; says nothing of which store has the group.
 */
export function groupBotDisabledReply(): OutgoingMessage {
  return text('本群关联的门店机器人已停用，消息不会记录。请管理员在后台启用它。（此提示每天最多一次）');
}

/** A one-to-one message from someone not bound to a store (an app shared by many stores). */
export function senderNotBoundReply(): OutgoingMessage {
  return text(
    '还不知道你是哪个门店的：请在你门店的群里 @我 发送“绑定”，之后单聊发给我的消息就会记到该门店。',
  );
}

/** 绑定 in a store's group also binds its sender: their one-to-one messages go to that store. */
export function senderBoundLine(storeId: number): string {
  return `你单聊发给我的消息也将记到门店 ${storeId}。`;
}
