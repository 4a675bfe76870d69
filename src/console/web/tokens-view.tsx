import { useState } from 'preact/hooks';
import { unwrap } from './api';
import { useAction } from './hooks';
import { useT } from './i18n';
import { useSession } from './session';
import { ErrorNote, Time, Title } from './ui';

const DAY = 24 * 3600;
const EXPIRIES = [1, 7, 30, 90];

/**
 * HQ makes a store manager's token (POST /auth/tokens, admin only): for the stores chosen, for a while. The token is
 * shown once, here; the service does not keep it.
 */
export function TokensView() {
  const t = useT();
  const { api } = useSession();
  const [sub, setSub] = useState('');
  const [stores, setStores] = useState('');
  const [days, setDays] = useState('7');
  const mint = useAction(() =>
    unwrap(
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
    ),
  );
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
            '令牌到期前无法撤销，请选择够用的最短有效期，并通过私密渠道交给门店管理员。',
            'A token cannot be revoked before it expires: choose the shortest that serves, and hand it over privately.',
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
    </>
  );
}
