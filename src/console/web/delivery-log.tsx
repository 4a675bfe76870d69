import { useState } from 'preact/hooks';
import { type NotificationKind, type NotificationStatus, unwrap } from './api';
import { usePolled } from './hooks';
import { useLang, useT } from './i18n';
import { go, href } from './router';
import { useSession } from './session';
import { ErrorNote, kindLabel, LiveNote, StateBadge, Time, Title } from './ui';

const STATUSES: NotificationStatus[] = ['pending', 'retrying', 'sent', 'failed', 'merged', 'skipped'];
const KINDS: NotificationKind[] = ['menu_report', 'batch', 'digest', 'daily_summary', 'test'];
const FILTERS = ['status', 'kind', 'store_id', 'bot_id', 'date_from', 'date_to'] as const;
type Filter = (typeof FILTERS)[number];
const PAGE_SIZE = 20;

const positive = (text: string | null) => (text && /^\d+$/.test(text) ? Number(text) : undefined);

/** The delivery log, newest first, with its filters in the URL (a filtered view can be bookmarked). */
export function DeliveryLog({ query }: { query: URLSearchParams }) {
  const t = useT();
  const lang = useLang();
  const { api } = useSession();
  const applied = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? ''])) as Record<
    Filter,
    string
  >;
  const [draft, setDraft] = useState(applied);
  const page = positive(query.get('page')) ?? 1;
  const log = usePolled(
    () =>
      unwrap(
        api.GET('/api/v1/notifications', {
          params: {
            query: {
              status: (applied.status || undefined) as NotificationStatus | undefined,
              kind: (applied.kind || undefined) as NotificationKind | undefined,
              store_id: positive(applied.store_id),
              bot_id: positive(applied.bot_id),
              date_from: applied.date_from || undefined,
              date_to: applied.date_to || undefined,
              page,
              page_size: PAGE_SIZE,
            },
          },
        }),
      ),
    [query.toString()],
  );
  const set = (name: Filter) => (event: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [name]: event.currentTarget.value });
  const pages = log.value ? Math.max(1, Math.ceil(log.value.total / PAGE_SIZE)) : 1;
  return (
    <>
      <Title>{t('发送记录', 'Delivery log')}</Title>
      <form
        class="card row"
        aria-label={t('筛选', 'Filters')}
        onSubmit={(event) => {
          event.preventDefault();
          go('log', draft);
        }}
      >
        <label>
          {t('状态', 'Status')}
          <select name="status" value={draft.status} onChange={set('status')}>
            <option value="">{t('全部', 'all')}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('类型', 'Kind')}
          <select name="kind" value={draft.kind} onChange={set('kind')}>
            <option value="">{t('全部', 'all')}</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kindLabel(kind, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('门店', 'Store')}
          <input
            name="store_id"
            inputMode="numeric"
            size={6}
            value={draft.store_id}
            onInput={set('store_id')}
          />
        </label>
        <label>
          {t('机器人', 'Bot')}
          <input name="bot_id" inputMode="numeric" size={6} value={draft.bot_id} onInput={set('bot_id')} />
        </label>
        <label>
          {t('起始日期', 'From')}
          <input name="date_from" type="date" value={draft.date_from} onInput={set('date_from')} />
        </label>
        <label>
          {t('结束日期', 'To')}
          <input name="date_to" type="date" value={draft.date_to} onInput={set('date_to')} />
        </label>
        <button class="primary" type="submit">
          {t('筛选', 'Filter')}
        </button>
        <a class="button" href={href('log')}>
          {t('清除', 'Clear')}
        </a>
      </form>
      <LiveNote changedAt={log.changedAt} />
      <ErrorNote error={log.error} />
      <table aria-label={t('通知', 'Notifications')}>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('时间', 'Made')}</th>
            <th scope="col">{t('门店', 'Store')}</th>
            <th scope="col">{t('机器人', 'Bot')}</th>
            <th scope="col">{t('类型', 'Kind')}</th>
            <th scope="col">{t('状态', 'Status')}</th>
            <th scope="col" class="num">
              {t('尝试', 'Tries')}
            </th>
            <th scope="col">{t('标题 / 原因', 'Title / reason')}</th>
          </tr>
        </thead>
        <tbody>
          {log.value?.items.map((notification) => (
            <tr
              key={notification.id}
              data-notification={notification.id}
              class={notification.status === 'failed' ? 'attention' : undefined}
            >
              <th scope="row">
                <a href={href(`notifications/${notification.id}`)}>{notification.id}</a>
              </th>
              <td>
                <Time at={notification.created_at} />
              </td>
              <td>
                <a href={href(`stores/${notification.store_id}`)}>{notification.store_id}</a>
              </td>
              <td>{notification.bot_id}</td>
              <td>
                {kindLabel(notification.kind, lang)}
                {notification.menu_report_id !== null && (
                  <>
                    {' · '}
                    <a href={href(`reports/${notification.menu_report_id}`)}>
                      {t(`报菜 ${notification.menu_report_id}`, `report ${notification.menu_report_id}`)}
                    </a>
                  </>
                )}
              </td>
              <td>
                <StateBadge state={notification.status} />
              </td>
              <td class="num">{notification.attempt_count}</td>
              <td>
                {notification.title}
                {notification.last_error && <div class="note mono">{notification.last_error}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {log.value?.items.length === 0 && (
        <p class="muted">{t('没有符合条件的通知。', 'No notification matches.')}</p>
      )}
      <nav class="pager" aria-label={t('分页', 'Pages')}>
        {page > 1 && <a href={href('log', { ...applied, page: page - 1 })}>{t('上一页', 'Previous')}</a>}
        <span>
          {t(
            `第 ${page} / ${pages} 页，共 ${log.value?.total ?? 0} 条`,
            `Page ${page} of ${pages}, ${log.value?.total ?? 0} in all`,
          )}
        </span>
        {page < pages && <a href={href('log', { ...applied, page: page + 1 })}>{t('下一页', 'Next')}</a>}
      </nav>
    </>
  );
}
