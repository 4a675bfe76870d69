import { describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { OutboxRepository } from '../../src/notify/delivery/queue/outbox.repository';
import { CreatedBot, givenWebhookBot } from '../support/given';
import { TestApp } from '../support/test-app';
import { useTestApp } from '../support/use-test-app';
import { waitForValue } from '../support/wait-for';

/** A card notification row as the rendering writes it (msg_type card, content its variables' JSON). */
async function enqueueCard(
  t: TestApp,
  bot: Pick<CreatedBot, 'id'> & { store_id?: number },
  cardParamMap: Record<string, string>,
): Promise<string> {
  const db = t.app.get(DataSource);
  const [queued] = await t.app.get(OutboxRepository).enqueue(
    db.manager,
    [
      {
        botId: bot.id,
        storeId: bot.store_id ?? 1,
        menuReportId: null,
        kind: 'batch',
        status: 'pending',
        hint: null,
        msgType: 'card',
        title: `报菜：${cardParamMap.dish_name ?? ''}`,
        content: JSON.stringify({ cardParamMap }),
        atMobiles: [],
        atUserIds: [],
        atAll: false,
        partOf: null,
      },
    ],
    new Date(),
  );
  return queued.id;
}

/** The notification once it is sent or failed, as the API shows it. */
async function settled(t: TestApp, id: string): Promise<Record<string, unknown>> {
  return waitForValue(async () => {
    const response = await t.request('GET', `/api/v1/notifications/${id}`);
    expect(response.status).toBe(200);
    const row = response.body.data as Record<string, unknown>;
    return row.status === 'sent' || row.status === 'failed' ? row : undefined;
  }, `notification ${id} sent or failed`);
}

const KITCHEN_CARD = {
  summary: '报菜：宫保鸡丁 × 8 份',
  title: '报菜 · 一号店',
  dish_name: '宫保鸡丁',
  quantity: '8 份',
  store_name: '一号店',
  report_time: '10:40',
  status: '',
  confirmed_text: '',
};

describe('card notifications: what every message type path knows of a card', () => {
  const { sim, t } = useTestApp({ simulator: true });

  it('a webhook bot fails a card for good, saying a stream bot sends cards, and posts nothing', async () => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, { webhook: `${sim.url}/robot/send?access_token=${robot.token}` });
    const row = await settled(t, await enqueueCard(t, bot, KITCHEN_CARD));
    expect(row).toMatchObject({ status: 'failed', msg_type: 'card' });
    expect(row.hint).toMatch(/stream bot with card_template_id/);
    expect(sim.state.received({ target: robot.token })).toEqual([]);
  });

  it('bots and templates stay written text: msg_type card is refused', async () => {
    const bot = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: {
        name: '厨房群',
        store_id: 1,
        webhook: 'https://oapi.dingtalk.com/robot/send?access_token=ab12',
        msg_type: 'card',
      },
    });
    expect(bot.status).toBe(400);
    const template = await t.request('POST', '/api/v1/message-templates', {
      body: { name: '卡片', msg_type: 'card', title: 't', body: 'b' },
    });
    expect(template.status).toBe(400);
  });
});
