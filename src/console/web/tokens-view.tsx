import { useEffect, useRef, useState } from 'preact/hooks';
import { type MintedTokenRecord, type MintedTokenStatus, unwrap } from './api';
import { useAction, usePolled } from './hooks';
import { useT } from './i18n';
import { go, href } from './router';
import { useSession } from './session';
import { ErrorNote, LiveNote, StateBadge, Time, Title } from './ui';

const DAY = 24 * 3600;
const EXPIRIES = [1, 7, 30, 90];
const STATUSES: MintedTokenStatus[] = ['active', 'revoked', 'expired'];
const PAGE_SIZE = 20;

const positive = (text: string | null) => (text && /^\d+$/.test(text) ? Number(text) : undefined);

/**
 * HQ makes a store manager's token (POST /auth/tokens, admin only): for the stores chosen, for a while. The token is
 * shown once, here; the service keeps only its record. Below, every token made, newest first (GET /auth/tokens),
 * each with a revoke button (DELETE /auth/tokens/:jti), the status filter and the page in the URL.
 */
export function TokensView({ query }: { query: URLSearchParams }) {
  const t = useT();
  const { api } = useSession();
  const [sub, setSub] = useState('');
  const [stores, setStores] = useState('');
  const [days, setDays] = useState('7');
  const status = (STATUSES as string[]).includes(query.get('status') ?? '')
    ? (query.get('status') as MintedTokenStatus)
    : undefined;
  const page = positive(query.get('page')) ?? 1;
  const list = usePolled(
    () =>
      unwrap(api.GET('/api/v1/auth/tokens', { params: { query: { status, page, page_size: PAGE_SIZE } } })),
    [query.toString()],
  );
  const mint = useAction(async () => {
    const minted = await unwrap(
      api.POST('/api/v1/auth/tokens', {
        body: {
          sub: sub.trim(),
          store_ids: stores
            .split(/[\s,，]+/)
            .filter(Boolean)
            .map(Number),
          expires_in_seconds: Number(days) * DAY,
        },
      }),
    );
    list.reload();
    return minted;
  });
  const pages = list.value ? Math.max(1, Math.ceil(list.value.total / PAGE_SIZE)) : 1;
  return (
    <>
      <Title>{t('生成门店管理员令牌', 'Make a store admin token')}</Title>
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          void mint.run();
        }}
      >
        <div class="row">
          <label>
            {t('使用人（如 store-3-manager）', 'For whom (e.g. store-3-manager)')}
            <input
              name="sub"
              required
              maxLength={100}
              value={sub}
              onInput={(event) => setSub(event.currentTarget.value)}
            />
          </label>
          <label>
            {t('门店编号（逗号分隔）', 'Store ids (comma-separated)')}
            <input
              name="store_ids"
              required
              value={stores}
              onInput={(event) => setStores(event.currentTarget.value)}
            />
          </label>
          <label>
            {t('有效期', 'Valid for')}
            <select name="expires" value={days} onChange={(event) => setDays(event.currentTarget.value)}>
              {EXPIRIES.map((count) => (
                <option key={count} value={String(count)}>
                  {t(`${count} 天`, `${count} day${count === 1 ? '' : 's'}`)}
                </option>
              ))}
            </select>
          </label>
          <button class="primary" type="submit" disabled={mint.running}>
            {t('生成', 'Make')}
          </button>
        </div>
        <p class="note">
          {t(
            '令牌泄露或发错时，可在下方列表中撤销。请选择够用的最短有效期，并通过私密渠道交给门店管理员；有效期不会超过您自己令牌的到期时间。',
            'A token that leaked or went to the wrong person can be revoked in the list below. Choose the shortest expiry that serves and hand it over privately; it never outlives your own token.',
          )}
        </p>
        <ErrorNote error={mint.error} />
      </form>
      {mint.result && (
        <section class="card" role="status">
          <p>
            {t('令牌已生成', 'Token made')}: {mint.result.sub} · {t('门店', 'stores')}{' '}
            {mint.result.store_ids.join(', ')} · {t('到期', 'expires')} <Time at={mint.result.expires_at} />
          </p>
          {mint.result.expiry_capped && (
            <p class="note" data-capped>
              {t(
                '有效期已缩短到您自己令牌的到期时间。',
                'The expiry was shortened to that of your own token.',
              )}
            </p>
          )}
          <label>
            {t('令牌（只显示这一次）', 'Token (shown this once)')}
            <textarea
              name="minted"
              readOnly
              value={mint.result.token}
              class="mono"
              style="min-height: 80px"
            />
          </label>
        </section>
      )}
      <h2>{t('已生成的令牌', 'Tokens made')}</h2>
      <form class="card row" aria-label={t('筛选', 'Filters')} onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('状态', 'Status')}
          <select
            name="status"
            value={status ?? ''}
            onChange={(event) => go('tokens', { status: event.currentTarget.value })}
          >
            <option value="">{t('全部', 'all')}</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
      </form>
      <LiveNote changedAt={list.changedAt} />
      <ErrorNote error={list.error} />
      <table aria-label={t('已生成的令牌', 'Tokens made')}>
        <thead>
          <tr>
            <th scope="col">{t('使用人', 'For')}</th>
            <th scope="col">{t('门店', 'Stores')}</th>
            <th scope="col">{t('状态', 'Status')}</th>
            <th scope="col">{t('生成', 'Made')}</th>
            <th scope="col">{t('到期', 'Expires')}</th>
            <th scope="col">{t('撤销', 'Revoked')}</th>
            <th scope="col">
              <span class="muted">{t('操作', 'Action')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.value?.items.map((record) => (
            <tr key={record.jti} data-jti={record.jti}>
              <th scope="row">
                {record.sub}
                <div class="note mono">{record.jti}</div>
              </th>
              <td>{record.store_ids.join(', ')}</td>
              <td>
                <StateBadge state={record.status} />
              </td>
              <td>
                <Time at={record.created_at} />
                <div class="note">{record.minted_by}</div>
              </td>
              <td>
                <Time at={record.expires_at} />
              </td>
              <td>
                <Time at={record.revoked_at} />
                {record.revoked_by && <div class="note">{record.revoked_by}</div>}
              </td>
              <td>
                {record.status === 'active' && <RevokeButton record={record} onRevoked={list.reload} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.value?.items.length === 0 && <p class="muted">{t('没有令牌。', 'No token.')}</p>}
      <nav class="pager" aria-label={t('分页', 'Pages')}>
        {page > 1 && <a href={href('tokens', { status, page: page - 1 })}>{t('上一页', 'Previous')}</a>}
        <span>
          {t(
            `第 ${page} / ${pages} 页，共 ${list.value?.total ?? 0} 个`,
            `Page ${page} of ${pages}, ${list.value?.total ?? 0} in all`,
          )}
        </span>
        {page < pages && <a href={href('tokens', { status, page: page + 1 })}>{t('下一页', 'Next')}</a>}
      </nav>
    </>
  );
}

/**
 * Revoking cannot be undone, so it takes two presses: 撤销, then 确认撤销 (or 取消). The API refuses the token on
 * this instance at once and on every other within seconds.
 */
function RevokeButton({ record, onRevoked }: { record: MintedTokenRecord; onRevoked: () => void }) {
  const t = useT();
  const { api } = useSession();
  const [confirming, setConfirming] = useState(false);
  // The pressed button is replaced: the keyboard goes on from the one that confirms.
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirm.current?.focus();
  }, [confirming]);
  const revoke = useAction(async () => {
    const revoked = await unwrap(
      api.DELETE('/api/v1/auth/tokens/{jti}', { params: { path: { jti: record.jti } } }),
    );
    setConfirming(false);
    onRevoked();
    return revoked;
  });
  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)}>
        {t('撤销', 'Revoke')}
      </button>
    );
  }
  return (
    <div class="row">
      <button
        ref={confirm}
        class="danger"
        type="button"
        disabled={revoke.running}
        onClick={() => void revoke.run()}
      >
        {t(`确认撤销 ${record.sub} 的令牌`, `Revoke ${record.sub}'s token`)}
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        {t('取消', 'Cancel')}
      </button>
      <ErrorNote error={revoke.error} />
    </div>
  );
}
