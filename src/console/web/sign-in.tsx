import { useState } from 'preact/hooks';
import { ErrorNote, Title } from './ui';
import { asApiError } from './hooks';
import type { ApiError } from './api';
import { useT } from './i18n';

/** Sign-in with a bearer token (HQ gets one from `npm run token`, a store manager from HQ's "tokens" page). */
export function SignIn({
  onToken,
  expired,
}: {
  onToken: (token: string) => Promise<void>;
  expired: boolean;
}) {
  const t = useT();
  const [token, setToken] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onToken(token.trim());
    } catch (failure) {
      setError(asApiError(failure));
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <form class="card" onSubmit={(event) => void submit(event)} aria-labelledby="signin-title">
        <Title>
          <span id="signin-title">{t('登录运维控制台', 'Sign in to the console')}</span>
        </Title>
        {expired && (
          <p class="error">
            {t(
              '令牌已失效（已过期或已被撤销），请重新登录。',
              'The token is no longer valid (expired or revoked): sign in again.',
            )}
          </p>
        )}
        <label>
          {t('访问令牌（Bearer token）', 'Access token (bearer)')}
          <textarea
            name="token"
            required
            autoComplete="off"
            spellcheck={false}
            value={token}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
        </label>
        <p class="note">
          {t(
            '总部管理员用 npm run token -- --role admin 生成；门店管理员的令牌由总部在“令牌”页生成。令牌只保存在本标签页。',
            'HQ makes an admin token with npm run token -- --role admin; a store manager gets one from HQ’s Tokens page. The token is kept in this tab only.',
          )}
        </p>
        <ErrorNote error={error} />
        <button class="primary" type="submit" disabled={busy || token.trim() === ''}>
          {busy ? t('登录中…', 'Signing in…') : t('登录', 'Sign in')}
        </button>
      </form>
    </main>
  );
}
