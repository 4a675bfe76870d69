import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { waitForValue } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import { givenBot, givenMenuReport, robotWebhook } from '../support/given';

/**
 * A bot's template can render a field DingTalk requires empty: the simulator refuses such a body as DingTalk does
 * (simulator/README.md, "Message bodies"). An empty markdown title takes the text's first line; an empty text is
 * refused once, for good, with a hint that names the template.
 */
describe('templates that render a required field empty', () => {
  const { sim, t } = useTestApp({
    simulator: true,
    env: { DELIVERY_RETRY_SCHEDULE: '50ms,50ms', DINGTALK_TIMEOUT_MS: '2000' },
  });

  const templateBot = async (storeId: number, template: Record<string, unknown>) => {
    const robot = sim.state.registerRobot();
    const created = await t.request('POST', '/api/v1/message-templates', {
      body: { name: '厨房群', store_id: storeId, ...template },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await givenBot(t, {
      store_id: storeId,
      webhook: robotWebhook(sim, robot),
      template_id: created.body.data.id,
    });
    return robot;
  };
  const settled = (id: number) =>
    waitForValue(async () => {
      const [row] = await t.app
        .get(DataSource)
        .query('SELECT status, attempts, hint, last_error FROM notifications WHERE id = $1', [id]);
      return row.status === 'sent' || row.status === 'failed' ? row : undefined;
    }, `notification ${id} to settle`);

  it('sends a markdown whose title renders empty (a report by dish id only) under its first line', async () => {
    const robot = await templateBot(41, {
      msg_type: 'markdown',
      title: '{{dish_name}}',
      body: '#### 菜品 #{{dish_id}} × {{quantity}}{{unit}}\n- 报菜人：{{reported_by}}',
    });
    const report = await givenMenuReport(t, { store_id: 41, dish_name: null, dish_id: 88, quantity: 2 });
    expect(await settled(report.notifications[0].id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(sim.state.received({ target: robot.token })).toEqual([
      expect.objectContaining({ errcode: 0, msgtype: 'markdown', title: '菜品 #88 × 2份' }),
    ]);
  });

  it('fails a text that renders empty at the first refusal, saying what to fix', async () => {
    const robot = await templateBot(42, { msg_type: 'text', title: '报菜', body: '{{remark}}' });
    const report = await givenMenuReport(t, { store_id: 42, quantity: 2 });
    const row = await settled(report.notifications[0].id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.hint).toMatch(/message template/);
    expect(sim.state.received({ target: robot.token }).map((message) => message.errcode)).toEqual([400202]);
  });
});
