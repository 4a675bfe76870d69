import { unwrap } from './api';
import { useAction, usePolled } from './hooks';
import { useLang, useT } from './i18n';
import { href } from './router';
import { useSession } from './session';
import { ErrorNote, Hint, kindLabel, LiveNote, StateBadge, Time, Title } from './ui';

/** One notification: what it says, every attempt with DingTalk's answer, the hint, and resend. */
export function NotificationView({ id }: { id: string }) {
  const t = useT();
  const lang = useLang();
  const { api } = useSession();
  const path = { params: { path: { id: Number(id) } } };
  const detail = usePolled(() => unwrap(api.GET('/api/v1/notifications/{id}', path)), [id]);
  const resend = useAction(async () => {
    const again = await unwrap(api.POST('/api/v1/notifications/{id}/resend', path));
    detail.reload();
    return again;
  });
  const n = detail.value;
  return (
    <>
      <Title>{t(`通知 ${id}`, `Notification ${id}`)}</Title>
      <LiveNote changedAt={detail.changedAt} />
      <ErrorNote error={detail.error} />
      {n && (
        <>
          <section class="card" aria-label={t('概况', 'Summary')}>
            <p>
              <StateBadge state={n.status} /> {kindLabel(n.kind, lang)} · {t('门店', 'store')}{' '}
              <a href={href(`stores/${n.store_id}`)}>{n.store_id}</a> · {t('机器人', 'bot')} {n.bot_id}
              {n.menu_report_id !== null && (
                <>
                  {' · '}
                  <a href={href(`reports/${n.menu_report_id}`)}>
                    {t(`报菜 ${n.menu_report_id}`, `report ${n.menu_report_id}`)}
                  </a>
                </>
              )}
            </p>
            <p class="note">
              {t('生成于', 'made')} <Time at={n.created_at} /> · {t('发送于', 'sent')} <Time at={n.sent_at} />{' '}
              · {t('下次尝试', 'next try')}{' '}
              <Time at={n.status === 'pending' || n.status === 'retrying' ? n.next_attempt_at : null} />
            </p>
            {n.confirmation.status !== 'off' && (
              <p>
                {t('厨房确认', 'Kitchen confirmation')}: <StateBadge state={n.confirmation.status} />{' '}
                {n.confirmation.confirmed_at ? (
                  <>
                    {n.confirmation.action} · {n.confirmation.by_name ?? n.confirmation.by_user_id} ·{' '}
                    <Time at={n.confirmation.action_at} />
                  </>
                ) : (
                  n.confirmation.reason
                )}
              </p>
            )}
            {n.last_error && <p class="mono">{n.last_error}</p>}
            <Hint text={n.hint} />
            <div class="actions">
              <button
                type="button"
                class="primary"
                disabled={resend.running}
                onClick={() => void resend.run()}
              >
                {resend.running ? t('重发中…', 'Resending…') : t('重新发送', 'Resend')}
              </button>
              <a class="button" href={href('log', { bot_id: n.bot_id })}>
                {t('该机器人的发送记录', 'Log of this bot')}
              </a>
            </div>
            <ErrorNote error={resend.error} />
            <p role="status">{resend.result && t('已重新排队发送。', 'Queued again.')}</p>
          </section>
          <h2>{t('尝试记录', 'Attempts')}</h2>
          <table aria-label={t('尝试记录', 'Attempts')}>
            <thead>
              <tr>
                <th scope="col">{t('时间', 'At')}</th>
                <th scope="col">{t('结果', 'Outcome')}</th>
                <th scope="col">HTTP</th>
                <th scope="col">{t('钉钉的回答', 'DingTalk answered')}</th>
                <th scope="col" class="num">
                  ms
                </th>
              </tr>
            </thead>
            <tbody>
              {n.attempts.map((attempt, index) => (
                <tr key={index}>
                  <td>
                    <Time at={attempt.at} />
                  </td>
                  <td>
                    <StateBadge
                      state={
                        attempt.outcome === 'ok'
                          ? 'sent'
                          : attempt.outcome === 'permanent'
                            ? 'failed'
                            : 'retrying'
                      }
                    />{' '}
                    {attempt.outcome}
                  </td>
                  <td>{attempt.http_status ?? '—'}</td>
                  <td class="mono">
                    {attempt.errcode !== null ? `errcode ${attempt.errcode}` : (attempt.error_code ?? '')}{' '}
                    {attempt.errmsg ?? ''}
                  </td>
                  <td class="num">{attempt.latency_ms ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {n.attempts.length === 0 && <p class="muted">{t('还没有尝试。', 'No attempt yet.')}</p>}
          <h2>{t('消息内容', 'Message')}</h2>
          <pre class="preview">
            {n.title}
            {'\n\n'}
            {n.content}
          </pre>
        </>
      )}
    </>
  );
}
