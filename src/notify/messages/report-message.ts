import { MsgType } from '../../dingtalk-bot/entities/dingtalk-bot.entity';
import { dateTimeFormat } from '../../common/date-time-format';
import type { ReportedDish } from '../../events/menu-report.events';
import { MessageTemplate } from '../../message-template/entities/message-template.entity';
import { renderTemplateText, TemplateValues } from '../../message-template/template-variables';
import { dishLabel, formatQuantity, oneLine } from './message-text';

export interface RenderedMessage {
  title: string;
  content: string;
}

/**
 * The built-in notification of a menu report, in Chinese for the stores' staff: store, dish, quantity and
 * unit, remark, who and when. It carries the report number, which also keeps two identical reports of a day
 * distinct: DingTalk silently drops a work notification whose content a user already got that day (docs/dingtalk/work-notifications.md, "Silent limits").
 */
export function renderReportMessage(
  report: ReportedDish,
  msgType: MsgType,
  timeZone: string,
): RenderedMessage {
  const dish = dishLabel(report);
  const quantity = `${formatQuantity(report.quantity)} ${report.unit}`;
  const when = formatTime(report.createdAt, timeZone);
  const remark = report.remark ? oneLine(report.remark) : null;
  const title = `报菜通知：${dish} ${quantity}`;
  if (msgType === 'markdown') {
    const lines = [
      `#### 报菜通知 · 门店 ${report.storeId}`,
      `- **菜品**：${dish}`,
      `- **数量**：${quantity}`,
      ...(remark ? [`- **备注**：${remark}`] : []),
      `- **报菜人**：${oneLine(report.reportedBy)}`,
      `- **时间**：${when}`,
      '',
      `> 报菜编号 #${report.id}`,
    ];
    return { title, content: lines.join('\n') };
  }
  const lines = [
    `【报菜通知】门店 ${report.storeId}`,
    `菜品：${dish}`,
    `数量：${quantity}`,
    ...(remark ? [`备注：${remark}`] : []),
    `报菜人：${oneLine(report.reportedBy)}`,
    `时间：${when}`,
    `报菜编号：#${report.id}`,
  ];
  return { title, content: lines.join('\n') };
}

/** A report's values for a bot's own template (docs/api.md, "Message templates"); free text is flattened to one line as in the built-in one. */
export function reportTemplateValues(report: ReportedDish, timeZone: string): TemplateValues {
  return {
    store_id: String(report.storeId),
    report_id: String(report.id),
    dish_id: report.dishId === null ? '' : String(report.dishId),
    dish_name: report.dishName ? oneLine(report.dishName) : '',
    quantity: formatQuantity(report.quantity),
    unit: report.unit,
    remark: report.remark ? oneLine(report.remark) : '',
    reported_by: oneLine(report.reportedBy),
    created_at: formatTime(report.createdAt, timeZone),
  };
}

/** A report rendered through a template: the template decides the message type, title and body. */
export function renderReportWithTemplate(
  report: ReportedDish,
  template: Pick<MessageTemplate, 'msgType' | 'title' | 'body'>,
  timeZone: string,
): RenderedMessage & { msgType: MsgType } {
  const values = reportTemplateValues(report, timeZone);
  return {
    msgType: template.msgType,
    title: renderTemplateText(template.title, values),
    content: renderTemplateText(template.body, values),
  };
}

export function formatTime(at: Date, timeZone: string): string {
  return timeFormat(timeZone).format(at);
}

function timeFormat(timeZone: string): Intl.DateTimeFormat {
  return dateTimeFormat('zh-CN', {
    timeZone,
    hour12: false,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}
