import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { rowsOf } from '../database/query-rows';
import { MenuReport } from '../menu-report/entities/menu-report.entity';
import { readLinkToken } from '../notify/messages/confirmation-link';
import { dishLabel, formatQuantity } from '../notify/messages/message-text';
import { formatTime } from '../notify/messages/report-message';
import { ConfirmationRecorder } from './confirmation-recorder';
import { ConfirmationButton, ConfirmationRefused } from './confirmation-state';

/** An answer of the link route: its status and its page. */
export interface LinkPage {
  status: number;
  html: string;
}

/** What a link presses: a notification's confirmation and one of its buttons. */
interface LinkTarget {
  notificationId: string;
  button: ConfirmationButton;
  buttons: ConfirmationButton[];
  status: string;
  action: string | null;
  byName: string | null;
  actionAt: Date | null;
  report: string;
}

/** A name typed on the page: one line, at most this long. */
const NAME_MAX = 50;

const INVALID: LinkPage = page(
  400,
  '链接无效',
  '链接无效：请从钉钉群里的报菜消息重新打开。This link is not valid: open it again from the report in DingTalk.',
);
const GONE: LinkPage = page(
  404,
  '链接已失效',
  '链接已失效：这条报菜已无需确认。This link has expired: the report needs no confirmation.',
);

/**
 * The pages of a webhook bot's confirmation links (docs/confirmation.md): what a token names, shown (GET), and
 * pressed (POST) through the recorder as a press `via: 'link'` by `link` (a link knows no DingTalk user), with the
 * name typed on the page if any. One press per button of a notification: a second POST of the same link, even at
 * once from two phones, is the same press (its dedupe key) and changes nothing.
 */
@Injectable()
export class ConfirmationLinks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly recorder: ConfirmationRecorder,
    private readonly config: AppConfig,
  ) {}

  async show(token: string): Promise<LinkPage> {
    const target = await this.resolve(token);
    if ('status' in target && 'html' in target) return target;
    const done = this.doneLine(target);
    const forward =
      target.action === null ||
      target.buttons.findIndex((b) => b.action === target.button.action) >
        target.buttons.findIndex((b) => b.action === target.action);
    const body = forward
      ? `<p>${escape(target.report)}</p>${done ? `<p>${escape(done)}</p>` : ''}
<form method="post"><label>你的名字（可不填）Your name (optional)<br><input name="name" maxlength="${NAME_MAX}" autocomplete="name"></label>
<p><button type="submit">确认「${escape(target.button.label)}」Confirm</button></p></form>`
      : `<p>${escape(target.report)}</p><p>${escape(done ?? '')}</p>`;
    return { status: 200, html: document(`确认「${target.button.label}」`, body) };
  }

  async press(token: string, name: string | null): Promise<LinkPage> {
    const target = await this.resolve(token);
    if ('status' in target && 'html' in target) return target;
    const typed = name?.replace(/\s+/g, ' ').trim().slice(0, NAME_MAX) || null;
    try {
      const { recorded, state } = await this.recorder.record({
        notificationId: target.notificationId,
        action: target.button.action,
        userId: 'link',
        userName: typed,
        via: 'link',
        dedupeKey: `link:${target.notificationId}:${target.button.action}`,
      });
      const label = target.buttons.find((b) => b.action === state.action)?.label ?? state.action ?? '';
      const who = state.byName ?? '链接';
      const when = state.at ? this.time(state.at) : '';
      return recorded
        ? page(200, '已确认', `已确认「${label}」：${target.report}。谢谢！Confirmed, thank you.`)
        : page(
            200,
            '已确认',
            `已由 ${who} 确认「${label}」（${when}），无需再次确认。Already confirmed: nothing more to do.`,
          );
    } catch (error) {
      if (error instanceof ConfirmationRefused) return GONE;
      throw error;
    }
  }

  private async resolve(token: string): Promise<LinkTarget | LinkPage> {
    const read = readLinkToken(this.config.confirmation.linkKey, token);
    if (!read) return INVALID;
    const [row] = rowsOf<{
      notification_id: string;
      menu_report_id: number;
      status: string;
      buttons: ConfirmationButton[];
      action: string | null;
      by_name: string | null;
      action_at: Date | null;
    }>(
      await this.dataSource.query(
        `SELECT notification_id, menu_report_id, status, buttons, action, by_name, action_at
         FROM notification_confirmations WHERE ticket = $1`,
        [read.ticket],
      ),
    );
    const button = row?.buttons[read.button];
    if (!row || !button || row.status === 'not_requested') return GONE;
    const report = await this.dataSource.getRepository(MenuReport).findOneBy({ id: row.menu_report_id });
    if (!report) return GONE;
    return {
      notificationId: String(row.notification_id),
      button,
      buttons: row.buttons,
      status: row.status,
      action: row.action,
      byName: row.by_name,
      actionAt: row.action_at ? new Date(row.action_at) : null,
      report:
        `报菜 #${report.id}：${dishLabel(report)} ${formatQuantity(report.quantity)} ${report.unit}` +
        `（门店 ${report.storeId}，${this.time(report.createdAt)}）`,
    };
  }

  private doneLine(target: LinkTarget): string | null {
    if (target.status !== 'confirmed' || target.action === null) return null;
    const label = target.buttons.find((b) => b.action === target.action)?.label ?? target.action;
    const when = target.actionAt ? this.time(target.actionAt) : '';
    return `已确认「${label}」· ${target.byName ?? '链接'} · ${when}`;
  }

  private time(at: Date): string {
    return formatTime(at, this.config.reportTimeZone);
  }
}

function page(status: number, title: string, line: string): LinkPage {
  return { status, html: document(title, `<p>${escape(line)}</p>`) };
}

function document(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2em auto;max-width:32em;padding:0 1em}
input,button{font:inherit;padding:.4em .6em;margin-top:.3em}button{min-width:10em}</style></head>
<body>${body}</body></html>`;
}

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
