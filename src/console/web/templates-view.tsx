import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Template, type TemplateBody, type TemplatePreview, unwrap } from './api';
import { asApiError, useAction, usePolled } from './hooks';
import { useT } from './i18n';
import { go, href } from './router';
import { useSession } from './session';
import { ErrorNote, LiveNote, Title } from './ui';

/** The templates the caller's stores may use (their own and the shared ones). */
export function TemplatesView() {
  const t = useT();
  const { api } = useSession();
  const templates = usePolled(
    () => unwrap(api.GET('/api/v1/message-templates', { params: { query: { page_size: 100 } } })),
    [],
  );
  return (
    <>
      <Title>{t('消息模板', 'Message templates')}</Title>
      <a class="button primary" href={href('templates/new')}>
        {t('新建模板', 'New template')}
      </a>
      <LiveNote changedAt={templates.changedAt} />
      <ErrorNote error={templates.error} />
      <table aria-label={t('消息模板', 'Message templates')}>
        <thead>
          <tr>
            <th scope="col">{t('名称', 'Name')}</th>
            <th scope="col">{t('门店', 'Store')}</th>
            <th scope="col">{t('用途', 'Purpose')}</th>
            <th scope="col">{t('格式', 'Format')}</th>
            <th scope="col">{t('标题', 'Title')}</th>
          </tr>
        </thead>
        <tbody>
          {templates.value?.items.map((template) => (
            <tr key={template.id}>
              <th scope="row">
                <a href={href(`templates/${template.id}`)}>{template.name}</a>
              </th>
              <td>{template.store_id ?? t('全部门店', 'every store')}</td>
              <td>
                {template.purpose === 'daily_summary' ? t('日报', 'daily summary') : t('报菜', 'report')}
              </td>
              <td>{template.msg_type}</td>
              <td>{template.title}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

interface Draft {
  name: string;
  store_id: string;
  msg_type: 'text' | 'markdown';
  purpose: 'report' | 'daily_summary';
  title: string;
  body: string;
}

const DRAFT: Draft = {
  name: '',
  store_id: '',
  msg_type: 'markdown',
  purpose: 'report',
  title: '报菜：{{dish_name}}',
  body: '#### {{dish_name}} × {{quantity}}{{unit}}\n- 报菜人：{{reported_by}}\n- 时间：{{created_at}}',
};

/** How long typing may pause before the preview is asked for (one request per pause, not per key). */
const PREVIEW_AFTER_MS = 300;

/**
 * A template, new or saved, with a live preview: rendered by the service (POST /message-templates/preview) with the
 * sample values as it is typed, with its size in bytes against DingTalk's limit.
 */
export function TemplateEditor({ id }: { id?: number }) {
  const t = useT();
  const { api, me, isAdmin } = useSession();
  const [draft, setDraft] = useState<Draft>({
    ...DRAFT,
    store_id: isAdmin ? '' : String(me.store_ids[0] ?? ''),
  });
  const [loaded, setLoaded] = useState<Template>();
  const [preview, setPreview] = useState<TemplatePreview>();
  const [previewError, setPreviewError] = useState<ApiError>();

  useEffect(() => {
    if (id === undefined) return;
    unwrap(api.GET('/api/v1/message-templates/{id}', { params: { path: { id } } }))
      .then((template) => {
        setLoaded(template);
        setDraft({
          name: template.name,
          store_id: template.store_id === null ? '' : String(template.store_id),
          msg_type: template.msg_type,
          purpose: template.purpose,
          title: template.title,
          body: template.body,
        });
      })
      .catch((error: unknown) => setPreviewError(asApiError(error)));
  }, [id]);

  useEffect(() => {
    if (draft.title === '' || draft.body === '') return;
    let current = true;
    const timer = setTimeout(() => {
      const body = { msg_type: draft.msg_type, purpose: draft.purpose, title: draft.title, body: draft.body };
      unwrap(api.POST('/api/v1/message-templates/preview', { body }))
        .then((rendered) => {
          if (!current) return;
          setPreview(rendered);
          setPreviewError(undefined);
        })
        .catch((error: unknown) => current && setPreviewError(asApiError(error)));
    }, PREVIEW_AFTER_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft.msg_type, draft.purpose, draft.title, draft.body]);

  const save = useAction(async () => {
    const body: TemplateBody = {
      name: draft.name,
      store_id: draft.store_id === '' ? null : Number(draft.store_id),
      msg_type: draft.msg_type,
      purpose: draft.purpose,
      title: draft.title,
      body: draft.body,
    };
    const saved =
      id === undefined
        ? await unwrap(api.POST('/api/v1/message-templates', { body }))
        : await unwrap(api.PUT('/api/v1/message-templates/{id}', { params: { path: { id } }, body }));
    go('templates');
    return saved;
  });
  const set = (name: keyof Draft) => (event: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [name]: event.currentTarget.value });

  return (
    <>
      <Title>
        {id === undefined
          ? t('新建模板', 'New template')
          : t(`模板：${loaded?.name ?? ''}`, `Template: ${loaded?.name ?? ''}`)}
      </Title>
      <div class="split">
        <form
          class="card"
          onSubmit={(event) => {
            event.preventDefault();
            void save.run();
          }}
        >
          <div class="row">
            <label>
              {t('名称', 'Name')}
              <input name="name" required value={draft.name} onInput={set('name')} />
            </label>
            <label>
              {t('门店（留空：全部门店，仅总部）', 'Store (empty: every store, HQ only)')}
              <input
                name="store_id"
                inputMode="numeric"
                size={6}
                value={draft.store_id}
                onInput={set('store_id')}
              />
            </label>
            <label>
              {t('用途', 'Purpose')}
              <select name="purpose" value={draft.purpose} onChange={set('purpose')}>
                <option value="report">{t('报菜通知', 'menu report')}</option>
                <option value="daily_summary">{t('日报', 'daily summary')}</option>
              </select>
            </label>
            <label>
              {t('格式', 'Format')}
              <select name="msg_type" value={draft.msg_type} onChange={set('msg_type')}>
                <option value="markdown">markdown</option>
                <option value="text">text</option>
              </select>
            </label>
          </div>
          <label>
            {t('标题', 'Title')}
            <input name="title" required value={draft.title} onInput={set('title')} style="width: 100%" />
          </label>
          <label>
            {t('正文（{{变量}}）', 'Body ({{variables}})')}
            <textarea name="body" required value={draft.body} onInput={set('body')} />
          </label>
          <ErrorNote error={save.error} />
          <div class="actions">
            <button class="primary" type="submit" disabled={save.running}>
              {t('保存', 'Save')}
            </button>
            <a class="button" href={href('templates')}>
              {t('取消', 'Cancel')}
            </a>
          </div>
        </form>
        <section class="card" aria-labelledby="preview-title">
          <h2 id="preview-title">{t('实时预览（示例数据）', 'Live preview (sample values)')}</h2>
          <ErrorNote error={previewError} />
          {preview && (
            <div aria-live="polite">
              <p id="preview-size" class={preview.over_limit ? 'error' : 'note'}>
                {t(`${preview.byte_size} 字节`, `${preview.byte_size} bytes`)} / 20000
                {preview.over_limit
                  ? t('：超出钉钉上限，将分段发送', ': over DingTalk’s limit, it will be sent in parts')
                  : ''}
              </p>
              <pre class="preview" id="preview-text">
                {preview.title}
                {'\n\n'}
                {preview.text}
              </pre>
            </div>
          )}
        </section>
      </div>
    </>
  );
}
