import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { ManualClock } from '../support/clocks';
import { waitFor, waitForValue } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import { givenStreamBot } from '../support/given';

const TOPIC_BOT_MESSAGE = '/v1.0/im/bot/messages/get';
/** Short enough that two redelivery periods pass before the service's keepalive ping falls due (60 s idle). */
const EVENT_REDELIVERY_MS = 20_000;

/**
 * The service against a gateway that honours subscriptions and pushes EVENT frames (docs/dingtalk/stream-mode.md):
 * it must ask for bot messages explicitly, and it knowingly ignores events — ACKed with status SUCCESS, so that
 * DingTalk does not redeliver them, and nothing else happens.
 */
describe('stream subscriptions and EVENT frames, against the simulator', () => {
  const clock = new ManualClock(Date.now());
  const { sim, t } = useTestApp({
    simulator: { stream: { redeliveryDelayMs: null, eventRedeliveryDelayMs: EVENT_REDELIVERY_MS } },
    clock,
  });
  let app: SimApp;
  const STORE = 41;

  beforeAll(async () => {
    app = sim.state.registerApp();
    await givenStreamBot(t, app, { name: '四十一号店机器人', store_id: STORE });
    await waitFor(() => sim.stream.connections(app.clientId).length === 1, 'the bot connected');
  });

  it('subscribes to bot messages (CALLBACK) and to events, so bot messages reach it', async () => {
    const [connection] = sim.stream.connections(app.clientId);
    expect(connection.subscriptions).toEqual(
      expect.arrayContaining([
        { type: 'CALLBACK', topic: TOPIC_BOT_MESSAGE },
        { type: 'EVENT', topic: '*' },
      ]),
    );
    const written = sim.stream.sendBotMessage({
      clientId: app.clientId,
      conversationType: '1',
      text: '今日',
    });
    const [reply] = await waitForValue(() => {
      const replies = sim.state.received({ channel: 'session', target: written.conversationId });
      return replies.length > 0 && replies;
    }, 'the reply to 今日');
    expect(reply.errcode).toBe(0);
  });

  it('ACKs an EVENT with SUCCESS, is not sent it again, stores nothing and keeps its connection', async () => {
    const [before] = sim.stream.connections(app.clientId);
    const stored = async () => {
      const rows = await t.app
        .get(DataSource)
        .query<Array<{ n: string }>>('SELECT count(*) AS n FROM received_bot_messages');
      return Number(rows[0].n);
    };
    const storedBefore = await stored();
    const pushed = sim.stream.sendEvent({
      clientId: app.clientId,
      eventType: 'user_add_org',
      data: { timestamp: String(clock.now()), userId: ['manager01'] },
    });
    // The same event again, as DingTalk may send it even after a correct ACK: answered the same way.
    const duplicate = sim.stream.sendEvent({
      clientId: app.clientId,
      eventType: 'user_add_org',
      eventId: pushed.eventId,
      data: { timestamp: String(clock.now()), userId: ['manager01'] },
    });
    await waitFor(
      () => sim.stream.events(app.clientId).every((event) => event.consumed),
      'both events ACKed with SUCCESS',
    );
    for (const messageId of [pushed.messageId, duplicate.messageId]) {
      expect(sim.stream.acksOf(messageId)).toEqual([
        expect.objectContaining({ code: 200, status: 'SUCCESS' }),
      ]);
    }
    await clock.advance(2 * EVENT_REDELIVERY_MS + 5_000);
    expect(sim.stream.events(app.clientId).map((event) => event.deliveries)).toEqual([1, 1]);
    expect(await stored()).toBe(storedBefore);
    expect(sim.stream.connections(app.clientId).map((connection) => connection.id)).toEqual([before.id]);
    expect(sim.stream.invalidFrames).toEqual([]);
  });
});
