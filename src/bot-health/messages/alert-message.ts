import { dateTimeFormat } from '../../common/date-time-format';
import { MsgType } from '../../dingtalk-bot/entities/dingtalk-bot.entity';
import { BotHealth, BotHealthReason } from '../../events/bot-health.events';
import { oneLine } from '../../notify/messages/message-text';

/** What an alert says: a bot broke, recovered, or is still broken (the daily reminder). */
export const ALERT_TYPES = ['broken', 'recovered', 'still_broken'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** One alert about one bot, as it is recorded (table bot_alerts) and told. */
export interface AlertFacts {
  id: string;
  type: AlertType;
  botId: number;
  botName: string;
  botType: string;
  storeId: number;
  health: BotHealth;
  reason: BotHealthReason | null;
  detail: string | null;
  hint: string | null;
  /** Since when the bot has had this health. */
  since: Date;
  createdAt: Date;
}

/** Each reason in the words of the chain's staff. */
const REASONS: Record<BotHealthReason, string> = {
  retrying: '发送失败，正在重试',
  throttled: '被钉钉限流（每分钟超过 20 条），暂停发送',
  ip_blocked: '服务器 IP 被钉钉临时封禁，暂停发送',
  reconnecting: 'Stream 连接断开，正在重连',
  send_refused: '钉钉拒收消息',
  retries_exhausted: '多次重试后仍发送失败',
  quota_used_up: '企业本月钉钉 API 调用额度已用完',
  credentials_refused: '钉钉拒绝了应用凭证（client_id / client_secret）',
  cannot_connect: 'Stream 连接长时间无法建立',
};

const HEADINGS: Record<AlertType, string> = {
  broken: '机器人故障',
  recovered: '机器人已恢复',
  still_broken: '机器人仍未恢复',
};

/**
 * The alert as a DingTalk message for HQ's group, in Chinese: which bot of which store, what is wrong and since when,
 * DingTalk's answer and what to do. The title carries 报菜通知 and 告警, the keywords an HQ robot is likely to require.
 */
export function alertMessage(
  facts: AlertFacts,
  msgType: MsgType,
  timeZone: string,
): { msgType: MsgType; title: string; content: string } {
  // A bot's name is a store admin's words, the detail and hint DingTalk's: as markdown, they could make a link or a
  // heading in HQ's group ("[点此处理](https://…)"), so there they are shown as written.
  const words = msgType === 'markdown' ? (text: string) => markdownLiteral(oneLine(text)) : oneLine;
  const bot = `门店 ${facts.storeId} 的「${words(facts.botName)}」（#${facts.botId}，${words(facts.botType)}）`;
  const title = `报菜通知告警：${HEADINGS[facts.type]} · 门店 ${facts.storeId}`;
  const lines = [`${HEADINGS[facts.type]}：${bot}`];
  if (facts.type === 'recovered') {
    lines.push(`恢复时间：${at(facts.since, timeZone)}`);
  } else {
    const reason = facts.reason ? `${REASONS[facts.reason]}（${facts.reason}）` : facts.health;
    lines.push(`原因：${reason}`, `开始时间：${at(facts.since, timeZone)}`);
    if (facts.detail) lines.push(`钉钉返回：${words(facts.detail)}`);
    if (facts.hint) lines.push(`处理建议：${words(facts.hint)}`);
  }
  if (msgType === 'text') return { msgType, title, content: [title, ...lines].join('\n') };
  const [first, ...rest] = lines;
  return { msgType, title, content: [`#### ${first}`, ...rest.map((line) => `- ${line}`)].join('\n') };
}

/** The alert as a webhook's JSON body (docs/bot-health.md, Alerts): an event type, when, and the bot's health. */
export function alertPayload(facts: AlertFacts): Record<string, unknown> {
  return {
    type: `bot.${facts.type}`,
    timestamp: facts.createdAt.toISOString(),
    data: {
      alert_id: facts.id,
      bot_id: facts.botId,
      bot_name: facts.botName,
      bot_type: facts.botType,
      store_id: facts.storeId,
      health: facts.health,
      health_reason: facts.reason,
      health_detail: facts.detail,
      health_hint: facts.hint,
      health_since: facts.since.toISOString(),
    },
  };
}

/**
 * `text` with the characters that make markdown (links, images, emphasis, code, HTML, headings, tables) escaped, so
 * that it shows as written; inside a line of ours, so the line-start marks (`-`, `1.`) need none.
 */
export function markdownLiteral(text: string): string {
  return text.replace(/[\\`*_[\]()<>!#|~]/g, (character) => `\\${character}`);
}

function at(time: Date, timeZone: string): string {
  return dateTimeFormat('zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(time);
}
