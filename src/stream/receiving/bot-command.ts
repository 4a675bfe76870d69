/**
 * What a staff member asked a stream bot for (README, Talking to a stream bot), read from the text of their message.
 * Pure: no I/O, so the grammar is tested on its own (bot-command.spec.ts).
 */
export type BotCommand =
  | { kind: 'report'; dishName: string; quantity: number; unit: string; remark: string | null }
  /** Began with 报菜 but could not be read: `problem` says what is wrong, nothing is stored. */
  | { kind: 'report_invalid'; problem: string }
  | { kind: 'today' }
  | { kind: 'bind' }
  | { kind: 'help' };

export type BotCommandKind = BotCommand['kind'];

/** The limits of a menu report (CreateMenuReportDto): a message must not create what the API refuses. */
const MAX_DISH_NAME = 100;
const MAX_UNIT = 20;
const MAX_REMARK = 500;
const MAX_QUANTITY = 999_999_999;

/**
 * `报菜 <dish> <quantity>[ ]<unit>[ <remark>]`. The dish may contain spaces (the quantity is the last number that is
 * followed by a unit); the unit is what follows the number up to the next space; anything after is a remark.
 */
const REPORT =
  /^报菜\s*(?<dish>.+?)\s+(?<quantity>\d+(?:\.\d+)?)\s*(?<unit>[^\s\d.][^\s]*)(?:\s+(?<remark>.+))?$/su;

/**
 * Reads a bot message's text. In groups DingTalk delivers only messages that @mention the bot, and the text may still
 * begin with that mention or with a space (docs/dingtalk/stream-mode.md); full-width digits and spaces (from Chinese
 * input methods) count as ordinary ones.
 */
export function parseBotCommand(text: string | null | undefined): BotCommand {
  const normalized = normalize(text ?? '');
  if (normalized === '今日' || normalized === '今日报菜') return { kind: 'today' };
  if (normalized === '绑定') return { kind: 'bind' };
  if (normalized.startsWith('报菜')) return parseReport(normalized);
  return { kind: 'help' };
}

function normalize(text: string): string {
  return (
    text
      .normalize('NFKC')
      .trim()
      // Leading @mentions (`@报菜助手 报菜 …`): DingTalk keeps them in the text of some clients.
      .replace(/^(?:@\S+\s*)+/u, '')
      .trim()
  );
}

function parseReport(text: string): BotCommand {
  const match = REPORT.exec(text);
  if (!match?.groups) {
    return text === '报菜'
      ? invalid('请写上菜名、数量和单位。')
      : invalid('没看懂菜名、数量和单位（数量和单位写在菜名后面，用空格隔开）。');
  }
  const dishName = match.groups.dish.trim();
  const quantity = Number(match.groups.quantity);
  const unit = match.groups.unit;
  const remark = match.groups.remark?.trim() || null;
  if (dishName.length > MAX_DISH_NAME) return invalid(`菜名最多 ${MAX_DISH_NAME} 个字。`);
  if (!(quantity > 0)) return invalid('数量要大于 0。');
  if (quantity > MAX_QUANTITY) return invalid('数量太大了。');
  if ((match.groups.quantity.split('.')[1]?.length ?? 0) > 3) return invalid('数量最多三位小数。');
  if (unit.length > MAX_UNIT) return invalid(`单位最多 ${MAX_UNIT} 个字。`);
  if (remark && remark.length > MAX_REMARK) return invalid(`备注最多 ${MAX_REMARK} 个字。`);
  return { kind: 'report', dishName, quantity, unit, remark };
}

function invalid(problem: string): BotCommand {
  return { kind: 'report_invalid', problem };
}
