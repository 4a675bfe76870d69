import { allPages, type Bot, type BotStatus, type BotTestResult, unwrap } from './api';
import { useAction, usePolled } from './hooks';
import { useT } from './i18n';
import { href } from './router';
import { useSession } from './session';
import { ErrorNote, HealthBadge, Hint, LiveNote, StateBadge, Time, Title } from './ui';

/** A store: its bots with health, connection, rate-limit pause and last delivery; enable, disable, test, edit. */
export function StoreView({ storeId }: { storeId: number }) {
  const t = useT();
  const { api } = useSession();
  const bots = usePolled(async () => {
    const list = await allPages((page) =>
      unwrap(
        api.GET('/api/v1/dingtalk-bots', { params: { query: { store_id: storeId, page, page_size: 100 } } }),
      ),
    );
    const statuses = await Promise.all(
      list.map((bot) =>
        unwrap(api.GET('/api/v1/dingtalk-bots/{id}/status', { params: { path: { id: bot.id } } })),
      ),
    );
    return list.map((bot, index) => ({ bot, status: statuses[index] }));
  }, [storeId]);
  return (
    <>
      <Title>{t(`门店 ${storeId}`, `Store ${storeId}`)}</Title>
      <div class="actions">
        <a class="button primary" href={href(`stores/${storeId}/new-bot`)}>
          {t('添加机器人', 'Add a bot')}
        </a>
        <a class="button" href={href('log', { store_id: storeId })}>
          {t('本店发送记录', 'Delivery log of this store')}
        </a>
      </div>
      <LiveNote changedAt={bots.changedAt} />
      <ErrorNote error={bots.error} />
      {bots.value?.length === 0 && (
        <p class="muted">{t('本店还没有机器人。', 'This store has no bot yet.')}</p>
      )}
      {bots.value?.map(({ bot, status }) => (
        <BotCard key={bot.id} bot={bot} status={status} onChanged={bots.reload} />
      ))}
    </>
  );
}

function BotCard({ bot, status, onChanged }: { bot: Bot; status: BotStatus; onChanged: () => void }) {
  const t = useT();
  const { api } = useSession();
  const toggle = useAction(async () => {
    const changed = await unwrap(
      api.PUT('/api/v1/dingtalk-bots/{id}', {
        params: { path: { id: bot.id } },
        body: { is_enabled: !bot.is_enabled },
      }),
    );
    onChanged();
    return changed;
  });
  const test = useAction(() =>
    unwrap(api.POST('/api/v1/dingtalk-bots/{id}/test', { params: { path: { id: bot.id } } })),
  );
  const paused = status.rate_limited_until !== null && Date.parse(status.rate_limited_until) > Date.now();
  return (
    <section class="card" aria-labelledby={`bot-${bot.id}`} data-bot={bot.id}>
      <h2 id={`bot-${bot.id}`}>
        {bot.name}{' '}
        <span class="note">
          #{bot.id} ·{' '}
          {bot.bot_type === 'stream'
            ? t('应用机器人（Stream）', 'app robot (Stream)')
            : t('自定义机器人（Webhook）', 'custom robot (webhook)')}
        </span>
      </h2>
      <table>
        <tbody>
          <tr>
            <th scope="row">{t('健康', 'Health')}</th>
            <td>
              <HealthBadge health={status.health} />{' '}
              {status.health_reason && <span class="mono">{status.health_reason}</span>}{' '}
              {status.health_since && (
                <span class="note">
                  {t('自', 'since')} <Time at={status.health_since} />
                </span>
              )}
              {status.health_detail && <div class="mono">{status.health_detail}</div>}
              <Hint text={status.health_hint} />
            </td>
          </tr>
          <tr>
            <th scope="row">{t('状态', 'State')}</th>
            <td>
              <span class={`badge ${bot.is_enabled ? 'ok' : 'off'}`}>
                {bot.is_enabled ? t('已启用', 'enabled') : t('已停用', 'disabled')}
              </span>
            </td>
          </tr>
          <tr>
            <th scope="row">{t('连接', 'Connection')}</th>
            <td>
              <StateBadge state={status.connection_status} />{' '}
              {status.connected_since && (
                <span class="note">
                  {t('自', 'since')} <Time at={status.connected_since} />
                </span>
              )}
              {status.last_error && <div class="mono">{status.last_error}</div>}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('限流暂停', 'Rate-limit pause')}</th>
            <td>
              {paused ? (
                <>
                  {t('暂停至', 'paused until')} <Time at={status.rate_limited_until} />
                  <Hint text={status.pause_hint} />
                </>
              ) : (
                <span class="muted">{t('无', 'none')}</span>
              )}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('最近发送', 'Last delivery')}</th>
            <td>
              {status.last_delivery_status ? <StateBadge state={status.last_delivery_status} /> : null}{' '}
              <Time at={status.last_delivery_at} /> · {t('待发送', 'pending')} {status.pending_notifications}{' '}
              · <a href={href('log', { bot_id: bot.id })}>{t('发送记录', 'delivery log')}</a>
            </td>
          </tr>
        </tbody>
      </table>
      <div class="actions" style="margin-top: 8px">
        <button type="button" disabled={test.running} onClick={() => void test.run()}>
          {test.running ? t('测试中…', 'Testing…') : t('发送测试消息', 'Send a test message')}
        </button>
        <button type="button" disabled={toggle.running} onClick={() => void toggle.run()}>
          {bot.is_enabled ? t('停用', 'Disable') : t('启用', 'Enable')}
        </button>
        <a class="button" href={href(`bots/${bot.id}`)}>
          {t('编辑', 'Edit')}
        </a>
      </div>
      <ErrorNote error={toggle.error ?? test.error} />
      <div role="status">{test.result && <TestResult result={test.result} />}</div>
    </section>
  );
}

function TestResult({ result }: { result: BotTestResult }) {
  const t = useT();
  return (
    <div class="test-result">
      <p>
        {result.ok ? <StateBadge state="ok" /> : <StateBadge state="failed" />}{' '}
        {result.ok
          ? t('钉钉已接收测试消息', 'DingTalk accepted the test message')
          : t('钉钉拒绝了测试消息', 'DingTalk refused the test message')}{' '}
        · {result.latency_ms} ms
      </p>
      <p class="mono">
        {t('钉钉的回答：', 'DingTalk answered: ')}
        {result.errcode !== null ? `errcode ${result.errcode}` : (result.error_code ?? '')} {result.errmsg}
      </p>
      <Hint text={result.hint} />
    </div>
  );
}
