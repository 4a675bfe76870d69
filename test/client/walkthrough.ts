import createClient from 'openapi-fetch';
import type { components, paths } from './api-schema';

type Notification = components['schemas']['NotificationDetailResponse'];

export interface WalkthroughTarget {
  /** The service, e.g. http://127.0.0.1:10024 */
  baseUrl: string;
  /** An admin bearer token */
  token: string;
  /** The DingTalk simulator, e.g. http://127.0.0.1:3900 */
  simulatorUrl: string;
}

export interface WalkthroughResult {
  webhookBotId: number;
  streamBotId: number;
  reportId: number;
  webhookNotification: Notification;
  streamNotification: Notification;
  deliveryLog: components['schemas']['NotificationResponse'][];
}

/**
 * The README's walkthrough ("Try it without DingTalk"), written against a client generated from /docs-json
 * (openapi-typescript + openapi-fetch): a signed webhook bot and a stream bot of store 1, a menu report for
 * each, and the delivery log until both notifications are sent. Every request and answer is typed by the
 * document, so a change to the API that breaks a client breaks the compilation of this file.
 */
export async function readmeWalkthrough(target: WalkthroughTarget): Promise<WalkthroughResult> {
  const api = createClient<paths>({
    baseUrl: target.baseUrl,
    headers: { Authorization: `Bearer ${target.token}` },
  });
  const simulator = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${target.simulatorUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`simulator ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  // 1. a custom group robot at the "DingTalk" end: signed, with a keyword
  const robot = await simulator<{ webhook: string }>('/_sim/robots', {
    name: '一号店厨房群',
    secret: 'SECdemo0123456789',
    keywords: ['报菜'],
  });
  // 2. the same robot as a webhook bot of store 1
  const webhookBot = ok(
    await api.POST('/api/v1/dingtalk-bots', {
      body: { name: '一号店厨房群', store_id: 1, webhook: robot.webhook, secret: 'SECdemo0123456789' },
    }),
  );
  // 3. a menu report: the bot's notification goes out at once. With an Idempotency-Key, sending it again (a
  // timeout, a lost answer) gives back the same report instead of a second one.
  const postReport = () =>
    api.POST('/api/v1/menu-reports', {
      params: { header: { 'Idempotency-Key': 'walkthrough-report-1' } },
      body: { store_id: 1, dish_name: '宫保鸡丁', quantity: 50, unit: '份', remark: '少辣' },
    });
  const report = ok(await postReport());
  if (ok(await postReport()).id !== report.id)
    throw new Error('a retry with the same Idempotency-Key made a second report');
  const webhookNotification = await sent(api, report.notifications[0].id);

  // A stream bot: an app and a group at the simulator, then the bot with those credentials.
  await simulator('/_sim/apps', { client_id: 'dingdemoapp', client_secret: 'demo-secret', agent_id: '3001' });
  await simulator('/_sim/conversations', {
    open_conversation_id: 'cidDemoKitchen==',
    title: '一号店后厨群',
    client_id: 'dingdemoapp',
  });
  const streamBot = ok(
    await api.POST('/api/v1/dingtalk-bots', {
      body: {
        name: '门店应用机器人',
        store_id: 1,
        bot_type: 'stream',
        client_id: 'dingdemoapp',
        client_secret: 'demo-secret',
        agent_id: '3001',
        user_ids: ['manager01'],
        open_conversation_id: 'cidDemoKitchen==',
      },
    }),
  );
  const rice = ok(
    await api.POST('/api/v1/menu-reports', {
      body: { store_id: 1, dish_name: '米饭', quantity: 2.5, unit: '斤' },
    }),
  );
  const streamNotification = rice.notifications.find((item) => item.bot_id === streamBot.id);
  if (!streamNotification) throw new Error('the report has no notification for the stream bot');

  // 5. the service's side: the delivery log of store 1, and each notification with its attempts
  const log = ok(await api.GET('/api/v1/notifications', { params: { query: { store_id: 1 } } }));
  return {
    webhookBotId: webhookBot.id,
    streamBotId: streamBot.id,
    reportId: report.id,
    webhookNotification,
    streamNotification: await sent(api, streamNotification.id),
    deliveryLog: log.items,
  };
}

type Client = ReturnType<typeof createClient<paths>>;

/** The `data` of a success envelope, or an error naming what the service answered. */
function ok<T>(answer: { data?: { code: 0; data: T }; error?: unknown; response: Response }): T {
  if (!answer.data) {
    throw new Error(`${answer.response.status} ${answer.response.url}: ${JSON.stringify(answer.error)}`);
  }
  return answer.data.data;
}

/**
 * Reads the notification until it is sent with its attempt (delivery is asynchronous; the detail reads the
 * attempts before the row, so a send that commits in between shows as sent a moment before its attempt does).
 */
async function sent(api: Client, id: number): Promise<Notification> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const notification = ok(await api.GET('/api/v1/notifications/{id}', { params: { path: { id } } }));
    if (notification.status === 'sent' && notification.attempts.length > 0) return notification;
    if (Date.now() > deadline) {
      throw new Error(`notification ${id} is ${notification.status}: ${notification.last_error ?? ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
