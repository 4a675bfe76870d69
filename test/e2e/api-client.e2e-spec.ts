import { describe, expect, it } from 'vitest';
import { readmeWalkthrough } from '../client/walkthrough';
import { useTestApp } from '../support/use-test-app';

/**
 * A client generated from /docs-json (test/client/api-schema.d.ts, kept current and compiled by the contract
 * test) runs the README's walkthrough against the service and the DingTalk simulator.
 */
describe('a typed client generated from the OpenAPI document', () => {
  const { sim, t } = useTestApp({ simulator: true });

  it('runs the README walkthrough: bots, a report, the delivery log until DingTalk has each message', async () => {
    const result = await readmeWalkthrough({ baseUrl: t.url, token: t.token(), simulatorUrl: sim.url });

    expect(result.webhookNotification).toMatchObject({
      status: 'sent',
      bot_id: result.webhookBotId,
      store_id: 1,
    });
    expect(result.webhookNotification.attempts).toEqual([
      {
        at: expect.any(String),
        outcome: 'ok',
        http_status: 200,
        errcode: 0,
        error_code: null,
        errmsg: 'ok',
        latency_ms: expect.any(Number),
      },
    ]);
    expect(result.streamNotification).toMatchObject({ status: 'sent', bot_id: result.streamBotId });
    expect(result.streamNotification.attempts.at(-1)).toMatchObject({ outcome: 'ok', http_status: 200 });
    expect(result.deliveryLog.map((item) => item.bot_id)).toEqual(
      expect.arrayContaining([result.webhookBotId, result.streamBotId]),
    );

    const [robotMessage] = sim.state.received({ channel: 'robot' });
    expect(robotMessage).toMatchObject({ signature: 'valid', errcode: 0, title: '报菜通知：宫保鸡丁 50 份' });
    expect(sim.state.received({ channel: 'work_notification' })).not.toEqual([]);
  });
});
