import type { ReportedDish } from '../../events/menu-report.events';
import { dishLabel, formatQuantity } from '../../notify/messages/message-text';
import { formatTime } from '../../notify/messages/report-message';

/** A button of the reminder: its label and, for a webhook bot, the link that presses it. */
export interface ReminderButton {
  label: string;
  url: string | null;
}

function reportLine(report: ReportedDish, timeZone: string): string {
  return (
    `报菜 #${report.id}：${dishLabel(report)} ${formatQuantity(report.quantity)} ${report.unit}` +
    `（${formatTime(report.createdAt, timeZone)}）`
  );
}

/**
 * The reminder of an unconfirmed report, in the group its notification went to (docs/confirmation.md): the report,
 * how long it has waited, and how to confirm (a webhook bot's links again, within reach of the mention; a card's
 * buttons are on the card). Markdown: every bot takes it, and it carries 报菜 for keyword robots.
 */
export function reminderMessage(
  report: ReportedDish,
  minutes: number,
  buttons: readonly ReminderButton[],
  timeZone: string,
): { msgType: 'markdown'; title: string; content: string } {
  const links = buttons.filter((button) => button.url !== null);
  const how =
    links.length > 0
      ? `请点击确认：${links.map((button) => `[${button.label}](${button.url})`).join(' · ')}`
      : `请在报菜卡片上点「${buttons[0]?.label ?? '收到'}」确认。`;
  return {
    msgType: 'markdown',
    title: `报菜待确认：#${report.id}`,
    content: [
      `#### 报菜待确认 · 门店 ${report.storeId}`,
      `${reportLine(report, timeZone)} 已 ${minutes} 分钟无人确认。`,
      '',
      how,
    ].join('\n'),
  };
}

/** The escalation of a report still unconfirmed at the second deadline, to the store's escalation bot. */
export function escalationMessage(
  report: ReportedDish,
  minutes: number,
  remindedAt: Date | null,
  timeZone: string,
): { msgType: 'markdown'; title: string; content: string } {
  return {
    msgType: 'markdown',
    title: `报菜未确认：门店 ${report.storeId} #${report.id}`,
    content: [
      `#### 报菜未确认 · 门店 ${report.storeId}`,
      `${reportLine(report, timeZone)} 已 ${minutes} 分钟无人确认。`,
      remindedAt ? `- 已于 ${formatTime(remindedAt, timeZone)} 在厨房群提醒` : '- 未提醒厨房群',
      '',
      '请联系门店厨房确认。',
    ].join('\n'),
  };
}
