import { useEffect, useState } from 'preact/hooks';
import { type Bot, type CreateBotBody, type Template, unwrap, type UpdateBotBody } from './api';
import { asApiError, useAction } from './hooks';
import { useT } from './i18n';
import { go, href } from './router';
import { useSession } from './session';
import { ErrorNote, Title } from './ui';

/** The form's fields as typed; secrets start empty ("leave empty to keep") and are sent only when typed. */
interface Fields {
  name: string;
  bot_type: 'webhook' | 'stream';
  msg_type: 'text' | 'markdown';
  webhook: string;
  secret: string;
  at_mobiles: string;
  client_id: string;
  client_secret: string;
  agent_id: string;
  user_ids: string;
  open_conversation_id: string;
  card_template_id: string;
  template_id: string;
  daily_summary_at: string;
  rate_limit_per_minute: string;
}

const list = (text: string) => text.split(/[\s,，]+/).filter(Boolean);

function fieldsOf(bot?: Bot): Fields {
  return {
    name: bot?.name ?? '',
    bot_type: bot?.bot_type ?? 'webhook',
    msg_type: bot?.msg_type ?? 'markdown',
    webhook: bot?.webhook ?? '',
    secret: '',
    at_mobiles: bot?.at_mobiles.join(', ') ?? '',
    client_id: bot?.client_id ?? '',
    client_secret: '',
    agent_id: bot?.agent_id ?? '',
    user_ids: bot?.user_ids.join(', ') ?? '',
    open_conversation_id: bot?.open_conversation_id ?? '',
    card_template_id: bot?.card_template_id ?? '',
    template_id: bot?.template_id === null || bot === undefined ? '' : String(bot.template_id),
    daily_summary_at: bot?.daily_summary_at ?? '',
    rate_limit_per_minute: String(bot?.rate_limit_per_minute ?? 20),
  };
}

/** What the form says, as the API's fields: only what was changed (an edit), secrets only when typed. */
function changes(fields: Fields, before: Fields, creating: boolean): UpdateBotBody {
  const body: UpdateBotBody = {};
  const changed = (name: keyof Fields) => creating || fields[name] !== before[name];
  const text = (value: string) => (value.trim() === '' ? null : value.trim());
  if (changed('name')) body.name = fields.name.trim();
  if (changed('bot_type')) body.bot_type = fields.bot_type;
  if (changed('msg_type')) body.msg_type = fields.msg_type;
  if (fields.bot_type === 'webhook') {
    if (changed('webhook')) body.webhook = text(fields.webhook);
    if (fields.secret.trim() !== '') body.secret = fields.secret.trim();
    if (changed('at_mobiles')) body.at_mobiles = list(fields.at_mobiles);
  } else {
    if (changed('client_id')) body.client_id = text(fields.client_id);
    if (fields.client_secret.trim() !== '') body.client_secret = fields.client_secret.trim();
    if (changed('agent_id')) body.agent_id = text(fields.agent_id);
    if (changed('user_ids')) body.user_ids = list(fields.user_ids);
    if (changed('open_conversation_id')) body.open_conversation_id = text(fields.open_conversation_id);
    if (changed('card_template_id')) body.card_template_id = text(fields.card_template_id);
  }
  if (changed('template_id'))
    body.template_id = fields.template_id === '' ? null : Number(fields.template_id);
  if (changed('daily_summary_at')) body.daily_summary_at = text(fields.daily_summary_at);
  if (changed('rate_limit_per_minute')) body.rate_limit_per_minute = Number(fields.rate_limit_per_minute);
  return body;
}

/** Create a bot in a store, or edit one: the API validates the whole, and its 400 names the fields. */
export function BotForm({ storeId, botId }: { storeId?: number; botId?: number }) {
  const t = useT();
  const { api } = useSession();
  const [bot, setBot] = useState<Bot>();
  const [fields, setFields] = useState<Fields>(fieldsOf());
  const [templates, setTemplates] = useState<Template[]>([]);
  const [loadError, setLoadError] = useState<ReturnType<typeof asApiError>>();
  const creating = botId === undefined;
  const store = bot?.store_id ?? storeId;

  useEffect(() => {
    if (creating) return;
    unwrap(api.GET('/api/v1/dingtalk-bots/{id}', { params: { path: { id: botId } } }))
      .then((found) => {
        setBot(found);
        setFields(fieldsOf(found));
      })
      .catch((error: unknown) => setLoadError(asApiError(error)));
  }, [botId]);
  useEffect(() => {
    if (store === undefined) return;
    unwrap(api.GET('/api/v1/message-templates', { params: { query: { store_id: store, page_size: 100 } } }))
      .then((page) => setTemplates(page.items))
      .catch(() => setTemplates([]));
  }, [store]);

  const save = useAction(async () => {
    const body = changes(fields, fieldsOf(bot), creating);
    // A stream bot's AppSecret belongs to its app, which other stores' bots may share (docs/api.md): a new secret is
    // the app's (PUT /dingtalk-apps/:id, admins), and the bot keeps pointing at the app.
    if (bot?.app_id != null && body.client_secret !== undefined) {
      await unwrap(
        api.PUT('/api/v1/dingtalk-apps/{id}', {
          params: { path: { id: bot.app_id } },
          body: { client_secret: body.client_secret ?? undefined },
        }),
      );
      delete body.client_secret;
    }
    const saved = creating
      ? await unwrap(
          api.POST('/api/v1/dingtalk-bots', { body: { ...body, store_id: storeId } as CreateBotBody }),
        )
      : await unwrap(api.PUT('/api/v1/dingtalk-bots/{id}', { params: { path: { id: botId } }, body }));
    go(`stores/${saved.store_id}`);
    return saved;
  });
  const set = (name: keyof Fields) => (event: { currentTarget: { value: string } }) =>
    setFields({ ...fields, [name]: event.currentTarget.value });
  const input = (name: keyof Fields, label: string, extra: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input name={name} value={fields[name]} onInput={set(name)} {...extra} />
    </label>
  );

  if (loadError) return <ErrorNote error={loadError} />;
  if (!creating && !bot) return null;
  return (
    <>
      <Title>
        {creating
          ? t(`门店 ${storeId} · 添加机器人`, `Store ${storeId} · add a bot`)
          : t(`编辑机器人：${bot!.name}`, `Edit bot: ${bot!.name}`)}
      </Title>
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          void save.run();
        }}
      >
        <div class="row">
          {input('name', t('名称', 'Name'), { required: true, maxLength: 100 })}
          <label>
            {t('类型', 'Type')}
            <select name="bot_type" value={fields.bot_type} onChange={set('bot_type')}>
              <option value="webhook">{t('自定义机器人（Webhook）', 'Custom robot (webhook)')}</option>
              <option value="stream">{t('应用机器人（Stream）', 'App robot (Stream)')}</option>
            </select>
          </label>
          <label>
            {t('消息格式', 'Message format')}
            <select name="msg_type" value={fields.msg_type} onChange={set('msg_type')}>
              <option value="markdown">markdown</option>
              <option value="text">text</option>
            </select>
          </label>
        </div>
        {fields.bot_type === 'webhook' ? (
          <>
            <label>
              Webhook
              <input name="webhook" value={fields.webhook} onInput={set('webhook')} style="width: 100%" />
            </label>
            <div class="row">
              {input('secret', t('加签密钥（SEC…）', 'Signing secret (SEC…)'), {
                type: 'password',
                autoComplete: 'off',
                placeholder: bot?.has_secret ? t('已设置，留空则不变', 'set; leave empty to keep') : '',
              })}
              {input('at_mobiles', t('@手机号（逗号分隔）', '@ mobiles (comma-separated)'))}
            </div>
          </>
        ) : (
          <div class="row">
            {input('client_id', 'Client ID (AppKey)')}
            {input('client_secret', 'Client Secret (AppSecret)', {
              type: 'password',
              autoComplete: 'off',
              placeholder: bot?.has_client_secret ? t('已设置，留空则不变', 'set; leave empty to keep') : '',
            })}
            {input('agent_id', 'Agent ID')}
            {input(
              'user_ids',
              t('工作通知接收人 userid（逗号分隔）', 'Work-notification user ids (comma-separated)'),
            )}
            {input('open_conversation_id', t('群 openConversationId', 'Group openConversationId'))}
            {input(
              'card_template_id',
              t('互动卡片模板 ID（厨房确认）', 'Card template id (kitchen confirmation)'),
            )}
          </div>
        )}
        <div class="row">
          <label>
            {t('消息模板', 'Template')}
            <select name="template_id" value={fields.template_id} onChange={set('template_id')}>
              <option value="">{t('内置消息', 'Built-in message')}</option>
              {templates.map((template) => (
                <option key={template.id} value={String(template.id)}>
                  {template.name} ({template.purpose})
                </option>
              ))}
            </select>
          </label>
          {input(
            'daily_summary_at',
            t('日报时间（HH:MM，留空不发）', 'Daily summary at (HH:MM, empty: none)'),
            { pattern: '\\d{2}:\\d{2}' },
          )}
          {input('rate_limit_per_minute', t('每分钟最多条数', 'At most per minute'), {
            type: 'number',
            min: 1,
            max: 20,
          })}
        </div>
        <ErrorNote error={save.error} />
        <div class="actions">
          <button class="primary" type="submit" disabled={save.running}>
            {save.running ? t('保存中…', 'Saving…') : t('保存', 'Save')}
          </button>
          <a class="button" href={store === undefined ? href('stores') : href(`stores/${store}`)}>
            {t('取消', 'Cancel')}
          </a>
        </div>
      </form>
    </>
  );
}
