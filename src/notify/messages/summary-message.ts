import { MsgType } from '../../dingtalk-bot/entities/dingtalk-bot.entity';
import { MessageTemplate } from '../../message-template/entities/message-template.entity';
import { renderTemplateText, SummaryTemplateValues } from '../../message-template/template-variables';
import { dishLabel, formatQuantity, oneLine, timeOfDayIn } from './message-text';

/** The total of one dish in one unit over a day. */
export interface DishTotal {
  dishId: number | null;
  dishName: string | null;
  unit: string;
  quantity: number;
}

/** A store's reports of one day, as the summary tells them. */
export interface DaySummary {
  storeId: number;
  /** YYYY-MM-DD in REPORT_TIMEZONE. */
  date: string;
  /** Largest total first. */
  totals: DishTotal[];
  reportCount: number;
  reporterCount: number;
  firstReportAt: Date | null;
  lastReportAt: Date | null;
}

export interface SummaryMessage {
  msgType: MsgType;
  title: string;
  content: string;
}

/**
 * The built-in daily summary, in Chinese for the stores' staff: store and date, one line per dish and unit
 * (`宫保鸡丁 120 份`), how many reports and reporters, the first and last report time. A day without reports is one
 * line. The title and text carry 报菜, the keyword a store's custom robot is most likely to require.
 */
export function renderSummaryMessage(
  summary: DaySummary,
  msgType: MsgType,
  timeZone: string,
): SummaryMessage {
  const heading = `报菜日报 · 门店 ${summary.storeId} · ${summary.date}`;
  const title = `报菜日报：门店 ${summary.storeId} ${summary.date}`;
  if (summary.reportCount === 0) {
    const line = `${heading}：当日无报菜`;
    return { msgType, title, content: msgType === 'markdown' ? `#### ${line}` : `【${line}】` };
  }
  const counts = `共 ${summary.reportCount} 条报菜，${summary.reporterCount} 位报菜人`;
  const times = `首条 ${timeOfDayIn(summary.firstReportAt!, timeZone)}，末条 ${timeOfDayIn(summary.lastReportAt!, timeZone)}`;
  const lines =
    msgType === 'markdown'
      ? [`#### ${heading}`, totalLines(summary, 'markdown'), '', `> ${counts}；${times}`]
      : [`【${heading}】`, totalLines(summary, 'text'), counts, times];
  return { msgType, title, content: lines.join('\n') };
}

/** A day's values for a bot's summary template (variables in template-variables.ts). */
export function summaryTemplateValues(
  summary: DaySummary,
  msgType: MsgType,
  timeZone: string,
): SummaryTemplateValues {
  return {
    store_id: String(summary.storeId),
    date: summary.date,
    totals: summary.reportCount === 0 ? '当日无报菜' : totalLines(summary, msgType),
    report_count: String(summary.reportCount),
    reporter_count: String(summary.reporterCount),
    first_report_at: summary.firstReportAt ? timeOfDayIn(summary.firstReportAt, timeZone) : '',
    last_report_at: summary.lastReportAt ? timeOfDayIn(summary.lastReportAt, timeZone) : '',
  };
}

/** A summary rendered through a summary template: the template decides the message type, title and body. */
export function renderSummaryWithTemplate(
  summary: DaySummary,
  template: Pick<MessageTemplate, 'msgType' | 'title' | 'body'>,
  timeZone: string,
): SummaryMessage {
  const values = summaryTemplateValues(summary, template.msgType, timeZone);
  return {
    msgType: template.msgType,
    title: renderTemplateText(template.title, values, 'daily_summary'),
    content: renderTemplateText(template.body, values, 'daily_summary'),
  };
}

/** One line per dish and unit: a markdown list in markdown, plain lines in text. */
function totalLines(summary: DaySummary, msgType: MsgType): string {
  const bullet = msgType === 'markdown' ? '- ' : '';
  return summary.totals
    .map((total) => `${bullet}${dishLabel(total)} ${formatQuantity(total.quantity)} ${oneLine(total.unit)}`)
    .join('\n');
}
