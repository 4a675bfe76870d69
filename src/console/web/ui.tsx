import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiError, Health } from './api';
import { useLang, useT } from './i18n';

/** The view's title, focused when the view opens, so a screen reader and the keyboard start there. */
export function Title({ children }: { children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h1 tabIndex={-1} ref={heading}>
      {children}
    </h1>
  );
}

const HEALTH_ZH: Record<Health, string> = { healthy: '正常', degraded: '降级', broken: '故障' };

export function HealthBadge({ health }: { health: Health }) {
  const lang = useLang();
  return <span class={`badge ${health}`}>{lang === 'en' ? health : HEALTH_ZH[health]}</span>;
}

const STATUS_ZH: Record<string, string> = {
  pending: '待发送',
  retrying: '重试中',
  sent: '已发送',
  failed: '失败',
  merged: '已合并',
  skipped: '已跳过',
  connected: '已连接',
  connecting: '连接中',
  reconnecting: '重连中',
  disconnected: '未连接',
  auth_failed: '认证失败',
  not_applicable: '无需连接',
  ok: '成功',
  off: '已停用',
  active: '有效',
  revoked: '已撤销',
  expired: '已过期',
  unconfirmed: '未确认',
  confirmed: '已确认',
  not_requested: '无确认按钮',
};

/** A notification's status, a connection's, or any other state word, as a coloured badge. */
export function StateBadge({ state }: { state: string }) {
  const lang = useLang();
  return (
    <span class={`badge ${state}`}>
      {lang === 'en' ? state.replace('_', ' ') : (STATUS_ZH[state] ?? state)}
    </span>
  );
}

const KIND_ZH: Record<string, string> = {
  menu_report: '报菜',
  batch: '群发',
  digest: '汇总',
  daily_summary: '日报',
  test: '测试',
  alert: '告警',
  reminder: '确认提醒',
  escalation: '确认升级',
};

export function kindLabel(kind: string, lang: 'zh' | 'en'): string {
  return lang === 'en' ? kind.replace('_', ' ') : (KIND_ZH[kind] ?? kind);
}

/** An instant in the browser's local time; nothing for null. */
export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span class="muted">—</span>;
  const date = new Date(at);
  return <time dateTime={at}>{date.toLocaleString()}</time>;
}

/** What the API refused, with each field it named. */
export function ErrorNote({ error }: { error?: ApiError }) {
  const t = useT();
  if (!error) return null;
  const text =
    error.status === 0
      ? t('无法连接服务', 'The service cannot be reached')
      : error.status === 404
        ? t('未找到（或不属于您管理的门店）', 'Not found (or not in the stores you manage)')
        : error.message;
  return (
    <div class="error" role="alert">
      {text}
      {error.fields.length > 0 && (
        <ul>
          {error.fields.map((field) => (
            <li key={field.field}>
              <code>{field.field}</code>: {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "Updated at …": a polite live region, so a screen reader hears that the list changed without losing its place. */
export function LiveNote({ changedAt }: { changedAt?: number }) {
  const t = useT();
  return (
    <p class="live" role="status" aria-live="polite">
      {changedAt
        ? `${t('实时更新', 'Live')} · ${t('更新于', 'updated')} ${new Date(changedAt).toLocaleTimeString()}`
        : t('加载中…', 'Loading…')}
    </p>
  );
}

export function Hint({ text }: { text: string | null | undefined }) {
  const t = useT();
  if (!text) return null;
  return (
    <div class="hint">
      <strong>{t('建议：', 'Hint: ')}</strong>
      {text}
    </div>
  );
}
