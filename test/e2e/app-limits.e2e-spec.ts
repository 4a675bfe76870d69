import { describe, expect, it } from 'vitest';
import { KITCHEN_CONFIRMATION_TEMPLATE_ID } from '../../simulator/cards/repo-card-templates';
import { ManualClock } from '../support/clocks';
import { givenDingTalkApp, givenMenuReport } from '../support/given';
import { useTestApp } from '../support/use-test-app';

const STORES = [71, 72, 73, 74, 75];

/**
 * One app for the whole chain (docs/dingtalk-app-limits.md): each store's bot keeps a window of its own group or its
 * own users, so the stores never share 20 a minute, while what DingTalk counts per app — its calls of one robot API
 * a second, its work-notification recipients a minute — is counted across all of them and across instances
 * (DINGTALK_APP_API_CALLS_PER_SECOND and DINGTALK_WORK_NOTIFICATION_RECIPIENTS_PER_MINUTE, small here).
 */
describe("an app's limits, shared by every store's bot on it", () => {
  const clock = new ManualClock(Date.now());
  const { sim, t } = useTestApp({
    simulator: { stream: { redeliveryDelayMs: null } },
    clock,
    env: {
      DINGTALK_APP_API_CALLS_PER_SECOND: '2',
      DINGTALK_WORK_NOTIFICATION_RECIPIENTS_PER_MINUTE: '3',
    },
  });

  async function chainApp() {
    const dingApp = sim.state.registerApp();
    return { dingApp, appId: (await givenDingTalkApp(t, dingApp)).id };
  }

  async function botOf(appId: number, store: number, fields: Record<string, unknown>) {
    const bot = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: { name: `${store}号店`, store_id: store, bot_type: 'stream', app_id: appId, ...fields },
    });
    expect(bot.status, bot.text).toBe(201);
  }

  it("sends the stores' work notifications within the app's recipients a minute, the rest in the next minute", async () => {
    const { appId } = await chainApp();
    for (const store of STORES) await botOf(appId, store, { user_ids: [`manager${store}`] });
    for (const store of STORES) await givenMenuReport(t, { store_id: store });
    const reached = () =>
      STORES.filter(
        (store) =>
          sim.state.received({ channel: 'work_notification', target: `manager${store}`, accepted: true })
            .length,
      ).length;
    // Two calls of asyncsend_v2 a second, then three recipients a minute.
    await clock.settle(() => reached() === 2, 'two calls in the first second');
    await clock.advance(1_500);
    await clock.settle(() => reached() === 3, 'three recipients in the first minute');
    for (let waited = 1_000; waited < 55_000; waited += 9_000) {
      await clock.advance(9_000);
      expect(reached()).toBe(3);
    }
    await clock.advance(10_000);
    await clock.settle(() => reached() === 5, 'the other two in the next minute');
  });

  it("counts a confirming card bot's work notification to its users in the app's recipients a minute (issue 22)", async () => {
    const { dingApp, appId } = await chainApp();
    const stores = STORES.map((store) => store + 20);
    for (const store of stores) {
      const settings = await t.request('PUT', `/api/v1/stores/${store}/confirmation-settings`, {
        body: { enabled: true },
      });
      expect(settings.status, settings.text).toBe(200);
      const group = sim.state.ensureConversation({ title: `${store}号店`, clientId: dingApp.clientId });
      await botOf(appId, store, {
        user_ids: [`manager${store}`],
        open_conversation_id: group.id,
        card_template_id: KITCHEN_CONFIRMATION_TEMPLATE_ID,
      });
    }
    for (const store of stores) await givenMenuReport(t, { store_id: store });
    const reached = () =>
      stores.filter(
        (store) =>
          sim.state.received({ channel: 'work_notification', target: `manager${store}`, accepted: true })
            .length,
      ).length;
    const cards = () => sim.cards.all({ clientId: dingApp.clientId }).length;
    // Each send is a card and a work notification: two a second, then three recipients a minute, cards alike.
    await clock.settle(() => reached() === 2 && cards() === 2, 'two sends in the first second');
    await clock.advance(1_500);
    await clock.settle(() => reached() === 3 && cards() === 3, 'three recipients in the first minute');
    for (let waited = 1_000; waited < 55_000; waited += 9_000) {
      await clock.advance(9_000);
      expect([reached(), cards()]).toEqual([3, 3]);
    }
    await clock.advance(10_000);
    await clock.settle(() => reached() === 5 && cards() === 5, 'the other two in the next minute');
  });

  it("sends the stores' group messages within the app's calls a second, each into its own group", async () => {
    const { dingApp, appId } = await chainApp();
    const groupOf = (store: number) =>
      sim.state.ensureConversation({
        id: `cidLimit${store}==`,
        title: `${store}号店`,
        clientId: dingApp.clientId,
      }).id;
    for (const store of STORES) await botOf(appId, store + 10, { open_conversation_id: groupOf(store) });
    for (const store of STORES) await givenMenuReport(t, { store_id: store + 10 });
    const arrivals = () =>
      STORES.flatMap((store) =>
        sim.state
          .received({ channel: 'group', target: `cidLimit${store}==`, accepted: true })
          .map((message) => message.arrivedAt),
      );
    await clock.settle(() => arrivals().length === 2, 'two calls in the first second');
    await clock.advance(500);
    expect(arrivals()).toHaveLength(2);
    await clock.advance(1_000);
    await clock.settle(() => arrivals().length === 4, 'two more in the next second');
    await clock.advance(1_100);
    await clock.settle(() => arrivals().length === 5, 'the last in the one after');
    // Never more than two calls of the app in one second of the simulator's clock.
    const sorted = arrivals().sort((a, b) => a - b);
    for (let i = 2; i < sorted.length; i++) expect(sorted[i] - sorted[i - 2]).toBeGreaterThanOrEqual(1_000);
  });
});
