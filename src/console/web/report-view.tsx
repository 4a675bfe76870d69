import { unwrap } from './api';
import { usePolled } from './hooks';
import { useT } from './i18n';
import { href } from './router';
import { useSession } from './session';
import { ErrorNote, LiveNote, StateBadge, Time, Title } from './ui';

/** A menu report and the notifications it made, one per bot of its store. */
export function ReportView({ id }: { id: number }) {
  const t = useT();
  const { api } = useSession();
  const report = usePolled(
    () => unwrap(api.GET('/api/v1/menu-reports/{id}', { params: { path: { id } } })),
    [id],
  );
  const r = report.value;
  return (
    <>
      <Title>{t(`报菜 ${id}`, `Menu report ${id}`)}</Title>
      <LiveNote changedAt={report.changedAt} />
      <ErrorNote error={report.error} />
      {r && (
        <>
          <section class="card">
            <p>
              <strong>{r.dish_name ?? `#${r.dish_id}`}</strong> × {r.quantity}
              {r.unit} · {t('门店', 'store')} <a href={href(`stores/${r.store_id}`)}>{r.store_id}</a> ·{' '}
              {r.reported_by} · <Time at={r.created_at} />
            </p>
            {r.remark && <p>{r.remark}</p>}
            {r.confirmation.status !== 'off' && (
              <p>
                {t('厨房确认', 'Kitchen confirmation')}: <StateBadge state={r.confirmation.status} />
                {r.confirmation.confirmed_at && (
                  <>
                    {' '}
                    {r.confirmation.action} · {r.confirmation.by_name ?? r.confirmation.by_user_id} ·{' '}
                    <Time at={r.confirmation.confirmed_at} />
                  </>
                )}
              </p>
            )}
          </section>
          <h2>{t('通知', 'Notifications')}</h2>
          <table aria-label={t('通知', 'Notifications')}>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('机器人', 'Bot')}</th>
                <th scope="col">{t('状态', 'Status')}</th>
                <th scope="col">{t('确认', 'Confirmation')}</th>
              </tr>
            </thead>
            <tbody>
              {r.notifications.map((notification) => (
                <tr key={notification.id}>
                  <th scope="row">
                    <a href={href(`notifications/${notification.id}`)}>{notification.id}</a>
                  </th>
                  <td>{notification.bot_id}</td>
                  <td>
                    <StateBadge state={notification.status} />
                  </td>
                  <td title={notification.confirmation.reason ?? undefined}>
                    {notification.confirmation.status !== 'off' && (
                      <StateBadge state={notification.confirmation.status} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
