import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBotKind } from '../../src/dingtalk-bot/bot-kinds';
import { givenBot, givenMenuReport, PLACEHOLDER_WEBHOOK } from '../support/given';
import { relayKind } from '../support/kinds/relay/relay.kind';
import { RelayInbox, startRelayInbox } from '../support/kinds/relay/relay-inbox';
import { useTestApp } from '../support/use-test-app';
import { waitFor } from '../support/wait-for';

// The one registration a kind takes, before the application starts (src/dingtalk-bot/bot-kinds.ts lists the built-in
// ones). Vitest runs each test file in a process of its own: no other file sees this kind.
registerBotKind(relayKind);

/**
 * A kind of bot added from outside src/ (test/support/kinds/relay/: its settings and rules, mentions, robot and
 * sender): the API creates it, a report is delivered through it by the same queue as any bot, the test button and the
 * status work, and the other kinds' settings stay theirs.
 */
describe('a bot kind registered by the test suite (relay)', () => {
  const { t } = useTestApp({ env: { DINGTALK_TIMEOUT_MS: '2000' } });
  let inbox: RelayInbox;
  beforeAll(async () => {
    inbox = await startRelayInbox();
  });
  afterAll(async () => {
    await inbox?.close();
  });

  const relayBot = (fields: Record<string, unknown> = {}) =>
    givenBot(t, { store_id: 7, bot_type: 'relay', webhook: inbox.url, ...fields });

  it('is created through the API like any bot, and a report reaches it through the queue', async () => {
    const bot = await relayBot({ at_mobiles: ['13800000000'] });
    expect(bot).toMatchObject({ bot_type: 'relay', at_mobiles: ['13800000000'], has_secret: false });
    expect(bot.webhook).not.toContain('relay-test-token');

    const report = await givenMenuReport(t, { store_id: 7, dish_name: '回锅肉', quantity: 3 });
    expect(report.notifications).toEqual([expect.objectContaining({ bot_id: bot.id, status: 'pending' })]);
    await waitFor(
      () => inbox.received.some((message) => message.text.includes('回锅肉')),
      'the relayed report',
    );
    const relayed = inbox.received.find((message) => message.text.includes('回锅肉'))!;
    expect(relayed).toMatchObject({ bot_id: bot.id, msg_type: 'markdown', at_mobiles: ['13800000000'] });

    const id = report.notifications[0].id;
    await waitFor(
      async () => (await t.request('GET', `/api/v1/notifications/${id}`)).body.data.status === 'sent',
      'the notification recorded sent',
    );
  });

  it('has a test button and a status, as its kind says (no connection)', async () => {
    const bot = await relayBot({ name: '转发测试' });
    const pressed = await t.request('POST', `/api/v1/dingtalk-bots/${bot.id}/test`);
    expect(pressed.status, pressed.text).toBe(200);
    expect(pressed.body.data).toMatchObject({ ok: true, errcode: 0 });
    expect(
      inbox.received.some((message) => message.bot_id === bot.id && message.text.includes('转发测试')),
    ).toBe(true);

    const status = await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}/status`);
    expect(status.body.data).toMatchObject({ bot_type: 'relay', connection_status: 'not_applicable' });
  });

  it("checks its bots with its own rules, and keeps the other kinds' settings theirs", async () => {
    const refused = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: {
        name: 'x',
        store_id: 7,
        bot_type: 'relay',
        webhook: 'https://example.com/in',
        secret: 'SEC0123456789',
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { field: 'secret', message: 'secret applies to webhook bots only' },
      { field: 'webhook', message: 'webhook of a relay bot must be http://127.0.0.1:…' },
    ]);

    const streamWithWebhook = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: {
        name: 'x',
        store_id: 7,
        bot_type: 'stream',
        webhook: inbox.url,
        client_id: 'a',
        client_secret: 'b',
        agent_id: '1',
      },
    });
    expect(streamWithWebhook.body.errors).toEqual([
      { field: 'webhook', message: 'webhook applies to webhook and relay bots only' },
    ]);

    const unknown = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: { name: 'x', store_id: 7, bot_type: 'fax' },
    });
    expect(unknown.body.errors).toEqual([
      { field: 'bot_type', message: 'bot_type must be one of the following values: webhook, stream, relay' },
    ]);
  });

  it("switching a relay bot to another kind starts that kind's settings afresh", async () => {
    const bot = await relayBot({ at_mobiles: ['13900000000'] });
    const switched = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
      body: { bot_type: 'webhook', webhook: PLACEHOLDER_WEBHOOK },
    });
    expect(switched.status, switched.text).toBe(200);
    expect(switched.body.data).toMatchObject({ bot_type: 'webhook', at_mobiles: [] });
    expect(switched.body.data.webhook).toMatch(/^https:\/\/oapi\.dingtalk\.com\/robot\/send/);
  });
});
