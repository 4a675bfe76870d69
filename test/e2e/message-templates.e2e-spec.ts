import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/use-test-app';

const WEBHOOK = 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123456789abcdef';
const BODY =
  '#### {{dish_name}} × {{quantity}}{{unit}}\n- 备注：{{remark}}\n- 报菜人：{{reported_by}}（#{{report_id}}）';

describe('message templates API', () => {
  const { t } = useTestApp();
  let storeAdmin: string;
  beforeAll(() => {
    storeAdmin = t.token({ sub: 'manager-20', role: 'store_admin', store_ids: [20] });
  });

  const createTemplate = async (body: Record<string, unknown>, token?: string) => {
    const response = await t.request('POST', '/api/v1/message-templates', {
      body: { name: '厨房群简报', title: '报菜：{{dish_name}}', body: BODY, ...body },
      token,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.data;
  };

  it('creates a template and previews it with sample values, given values and its byte size', async () => {
    const template = await createTemplate({ store_id: 20 });
    expect(template).toMatchObject({
      store_id: 20,
      msg_type: 'markdown',
      title: '报菜：{{dish_name}}',
      body: BODY,
    });

    const sample = await t.request('POST', `/api/v1/message-templates/${template.id}/preview`, { body: {} });
    expect(sample.status).toBe(200);
    expect(sample.body.data).toMatchObject({
      title: '报菜：宫保鸡丁',
      msg_type: 'markdown',
      over_limit: false,
    });
    expect(sample.body.data.text).toContain('#### 宫保鸡丁 × 50份');
    expect(sample.body.data.byte_size).toBe(Buffer.byteLength(sample.body.data.text, 'utf8'));

    const given = await t.request('POST', `/api/v1/message-templates/${template.id}/preview`, {
      body: { values: { dish_name: '米饭', quantity: 2.5, unit: '斤' } },
    });
    expect(given.body.data.text).toContain('#### 米饭 × 2.5斤');

    const wrong = await t.request('POST', `/api/v1/message-templates/${template.id}/preview`, {
      body: { values: { price: 3 } },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([
      { field: 'values.price', message: 'price is not a template variable' },
    ]);
  });

  it('refuses an unknown variable when saving, naming the field and the variable', async () => {
    const response = await t.request('POST', '/api/v1/message-templates', {
      body: { name: 'x', store_id: 20, title: '{{dish_name}}', body: '{{dish_name}} {{price}}' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'body', message: expect.stringContaining('{{price}}') }]);

    const template = await createTemplate({ store_id: 20 });
    const update = await t.request('PUT', `/api/v1/message-templates/${template.id}`, {
      body: { title: '{{ dish }}' },
    });
    expect(update.status).toBe(400);
    expect(update.body.errors[0].field).toBe('title');
    const missing = await t.request('POST', '/api/v1/message-templates', {
      body: { store_id: 20, name: 'x' },
    });
    expect(missing.body.errors.map((error: { field: string }) => error.field)).toEqual(['title', 'body']);
  });

  it('scopes templates: own store and shared ones visible, shared ones managed by an admin only', async () => {
    const shared = await createTemplate({ store_id: null, name: '通用' });
    const other = await createTemplate({ store_id: 21, name: '别的门店' });
    const own = await createTemplate({ name: '自己的' }, storeAdmin);
    expect(own.store_id).toBe(20);

    const list = await t.request('GET', '/api/v1/message-templates?page_size=100', { token: storeAdmin });
    const ids = list.body.data.items.map((item: { id: number }) => item.id);
    expect(ids).toContain(shared.id);
    expect(ids).toContain(own.id);
    expect(ids).not.toContain(other.id);
    expect(
      (await t.request('GET', `/api/v1/message-templates/${other.id}`, { token: storeAdmin })).status,
    ).toBe(404);
    expect(
      (await t.request('GET', `/api/v1/message-templates/${shared.id}`, { token: storeAdmin })).status,
    ).toBe(200);
    const forStore21 = await t.request('GET', '/api/v1/message-templates?store_id=21', { token: storeAdmin });
    expect(forStore21.body.data.items).toEqual([]);

    const editShared = await t.request('PUT', `/api/v1/message-templates/${shared.id}`, {
      body: { name: 'mine now' },
      token: storeAdmin,
    });
    expect(editShared.status).toBe(403);
    const createShared = await t.request('POST', '/api/v1/message-templates', {
      body: { name: 'x', store_id: null, title: 't', body: 'b' },
      token: storeAdmin,
    });
    expect(createShared.status).toBe(403);
    const createElsewhere = await t.request('POST', '/api/v1/message-templates', {
      body: { name: 'x', store_id: 21, title: 't', body: 'b' },
      token: storeAdmin,
    });
    expect(createElsewhere.status).toBe(403);
  });

  it('lets a bot use its store’s or a shared template, renders reports with it, and falls back when it is deleted', async () => {
    const foreign = await createTemplate({ store_id: 21 });
    const refused = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: { name: 'bot', store_id: 20, webhook: WEBHOOK, template_id: foreign.id },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('template_id');

    const template = await createTemplate({ store_id: 20, msg_type: 'text', title: '报菜 {{dish_name}}' });
    const bot = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: { name: 'bot', store_id: 20, webhook: WEBHOOK, msg_type: 'markdown', template_id: template.id },
    });
    expect(bot.status, JSON.stringify(bot.body)).toBe(201);
    expect(bot.body.data.template_id).toBe(template.id);

    const report = await t.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 20, dish_name: '宫保鸡丁', quantity: 50, unit: '份', remark: '少辣\n多葱' },
      token: storeAdmin,
    });
    expect(report.status).toBe(201);
    const data = t.app.get(DataSource);
    const [row] = await data.query(
      'SELECT msg_type, title, content FROM notifications WHERE menu_report_id = $1 AND bot_id = $2',
      [report.body.data.id, bot.body.data.id],
    );
    expect(row).toEqual({
      msg_type: 'text',
      title: '报菜 宫保鸡丁',
      content: `#### 宫保鸡丁 × 50份\n- 备注：少辣 多葱\n- 报菜人：manager-20（#${report.body.data.id}）`,
    });

    expect((await t.request('DELETE', `/api/v1/message-templates/${template.id}`)).status).toBe(200);
    const after = await t.request('GET', `/api/v1/dingtalk-bots/${bot.body.data.id}`);
    expect(after.body.data.template_id).toBeNull();
  });
});
