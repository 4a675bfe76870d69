import { useState } from 'preact/hooks';
import { unwrap } from './api';
import { usePolled } from './hooks';
import { useT } from './i18n';
import { go } from './router';
import { useSession } from './session';
import { ErrorNote, Title } from './ui';

/** The daily summary a bot gets (or would get) for a day, as the service renders it (GET …/daily-summary). */
export function SummaryView({ query }: { query: URLSearchParams }) {
  const t = useT();
  const { api } = useSession();
  const botId = Number(query.get('bot_id') ?? '');
  const date = query.get('date') ?? '';
  const [draft, setDraft] = useState({ bot_id: query.get('bot_id') ?? '', date });
  const summary = usePolled(
    () =>
      Number.isInteger(botId) && botId > 0
        ? unwrap(
            api.GET('/api/v1/dingtalk-bots/{id}/daily-summary', {
              params: { path: { id: botId }, query: { date: date || undefined } },
            }),
          )
        : Promise.resolve(undefined),
    [botId, date],
  );
  return (
    <>
      <Title>{t('日报预览', 'Daily summary preview')}</Title>
      <form
        class="card row"
        onSubmit={(event) => {
          event.preventDefault();
          go('summary', draft);
        }}
      >
        <label>
          {t('机器人编号', 'Bot id')}
          <input
            name="bot_id"
            inputMode="numeric"
            required
            size={6}
            value={draft.bot_id}
            onInput={(event) => setDraft({ ...draft, bot_id: event.currentTarget.value })}
          />
        </label>
        <label>
          {t('日期（留空：今天）', 'Date (empty: today)')}
          <input
            name="date"
            type="date"
            value={draft.date}
            onInput={(event) => setDraft({ ...draft, date: event.currentTarget.value })}
          />
        </label>
        <button class="primary" type="submit">
          {t('预览', 'Preview')}
        </button>
      </form>
      <ErrorNote error={summary.error} />
      {summary.value && (
        <section class="card" aria-live="polite">
          <p class="note">
            {summary.value.date} · {summary.value.msg_type} ·{' '}
            {t(`${summary.value.byte_size} 字节`, `${summary.value.byte_size} bytes`)}
          </p>
          <pre class="preview">
            {summary.value.title}
            {'\n\n'}
            {summary.value.text}
          </pre>
        </section>
      )}
    </>
  );
}
