import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { describe, expect, it, vi } from 'vitest';
import { Simulator } from '../../simulator/simulator';
import { DingTalkBotRepository } from '../../src/dingtalk-bot/dingtalk-bot.repository';
import { DingTalkBotService } from '../../src/dingtalk-bot/dingtalk-bot.service';
import { BotCredentialsCache } from '../../src/notify/delivery/bot-credentials.cache';
import { givenMenuReport, givenWebhookBot, signedRobotFields } from '../support/given';
import { TestApp } from '../support/test-app';
import { useTestAppPerTest } from '../support/use-test-app';
import { waitFor } from '../support/wait-for';

/**
 * A dispatcher round reads the credentials of the bots it claimed, that the cache lacks or holds for an older
 * version of their row, in one statement (docs/performance.md, "10,000 bots"): with many bots each is sent to about
 * once, and a read per bot's first send was a transaction per report.
 */
describe('the credentials of the bots a round claimed', () => {
  const start = useTestAppPerTest();

  /** `count` signed webhook bots, each on a robot of its own in its own store. */
  const givenBots = async (sim: Simulator, t: TestApp, firstStore: number, count: number) => {
    const bots: Array<{ id: number; token: string }> = [];
    for (let i = 0; i < count; i++) {
      const robot = sim.state.registerRobot({ secret: `SEC${randomBytes(16).toString('hex')}` });
      const bot = await givenWebhookBot(t, {
        store_id: firstStore + i,
        msg_type: 'text',
        ...signedRobotFields(sim, robot),
      });
      bots.push({ id: bot.id, token: robot.token });
    }
    return bots;
  };
  /** One message to each of `botIds`, written in one transaction: the one round after its commit claims them all. */
  const batchSend = async (t: TestApp, botIds: number[], content: string) => {
    const response = await t.request('POST', '/api/v1/dingtalk-bots/batch-send', {
      body: { bot_ids: botIds, msg_type: 'text', content },
    });
    expect(response.status, response.text).toBe(202);
  };
  const delivered = (sim: Simulator, token: string) =>
    sim.state.received({ target: token, accepted: true }).map((message) => message.text);

  it('reads the bots of a round in one statement, and again only a bot whose row changed', async () => {
    const { sim, t } = await start({ simulator: true });
    const bots = await givenBots(sim, t, 81, 6);
    const ids = bots.map((bot) => bot.id);
    const reads = vi.spyOn(t.app.get(DingTalkBotRepository), 'sealedByIds');
    const aloneReads = vi.spyOn(t.app.get(DingTalkBotService), 'findWithSecrets');

    await batchSend(t, ids, '今晚盘点');
    await waitFor(
      () => bots.every((bot) => delivered(sim, bot.token).length === 1),
      'every bot to get the message',
    );
    // One read for the six bots none of which had sent before; the secrets opened (the robots check signatures).
    expect(reads).toHaveBeenCalledTimes(1);
    expect([...reads.mock.calls[0][0]].sort((a, b) => a - b)).toEqual(ids);
    expect(aloneReads).not.toHaveBeenCalled();
    expect(sim.state.received({ accepted: false })).toEqual([]);

    // Another instance points the first bot at another robot (no event reaches this one): its row's new version,
    // read by the next claim, makes it read again; the other five are sent from the cache.
    const [moved] = await givenBots(sim, t, 90, 1);
    await t.app.get(DataSource).query(
      `UPDATE ding_talk_bots b SET webhook = o.webhook, secret = o.secret, updated_at = now()
         FROM ding_talk_bots o WHERE b.id = $1 AND o.id = $2`,
      [ids[0], moved.id],
    );
    await batchSend(t, ids, '明早补货');
    await waitFor(
      () => bots.slice(1).every((bot) => delivered(sim, bot.token).length === 2),
      'the unchanged bots to get the second message',
    );
    await waitFor(() => delivered(sim, moved.token).length === 1, "the changed bot's new robot to get it");
    expect(delivered(sim, bots[0].token)).toEqual(['今晚盘点']);
    expect(reads).toHaveBeenCalledTimes(2);
    expect(reads.mock.calls[1][0]).toEqual([ids[0]]);
    expect(aloneReads).not.toHaveBeenCalled();
  });

  it('finds no credentials for a bot deleted after its claim, and gives the claim back unsent', async () => {
    const { sim, t } = await start({ simulator: true, env: { DELIVERY_POLL_INTERVAL_MS: '200' } });
    const [bot] = await givenBots(sim, t, 95, 1);
    const repository = t.app.get(DingTalkBotRepository);
    const read = repository.sealedByIds.bind(repository);
    const db = t.app.get(DataSource);
    // Another instance deletes the bot (no event reaches this one) between the claim and the read.
    const reads = vi.spyOn(repository, 'sealedByIds').mockImplementationOnce(async (ids) => {
      await db.query(`DELETE FROM ding_talk_bots WHERE id = $1`, [bot.id]);
      return read(ids);
    });
    const report = await givenMenuReport(t, { store_id: 95, dish_name: '删' });
    const id = report.notifications[0].id;
    const detail = async () =>
      (await t.request('GET', `/api/v1/notifications/${id}`)).body.data as {
        status: string;
        hint: string | null;
        attempts: unknown[];
      };
    // Given back, then skipped by the sweep, as a bot gone before its send always was.
    await waitFor(async () => (await detail()).status === 'skipped', 'the notification to be skipped');
    expect(await detail()).toMatchObject({
      hint: expect.stringMatching(/disabled or deleted/),
      attempts: [],
    });
    expect(reads).toHaveBeenCalledTimes(1);
    expect(sim.state.received({ target: bot.token })).toEqual([]);
  });

  it('keeps an entry for its version of the row, and no failed read', async () => {
    const { sim, t } = await start({ simulator: true });
    const [bot] = await givenBots(sim, t, 97, 1);
    const cache = t.app.get(BotCredentialsCache);
    const reads = vi.spyOn(t.app.get(DingTalkBotRepository), 'sealedByIds');
    reads.mockRejectedValueOnce(new Error('the database is away'));

    await expect(cache.get(bot.id, 'v1')).rejects.toThrow('the database is away');
    await expect(cache.get(bot.id, 'v1')).resolves.toMatchObject({ id: bot.id, storeId: 97 });
    expect(reads).toHaveBeenCalledTimes(2);
    // Read already for this version, being read for a round's claims or not: no read.
    cache.load([{ botId: bot.id, botVersion: 'v1' }]);
    await expect(cache.get(bot.id, 'v1')).resolves.toMatchObject({ id: bot.id });
    expect(reads).toHaveBeenCalledTimes(2);
    cache.load([{ botId: bot.id, botVersion: 'v2' }]);
    await expect(cache.get(bot.id, 'v2')).resolves.toMatchObject({ id: bot.id });
    expect(reads).toHaveBeenCalledTimes(3);
    // A change made here drops the entry at once, whatever version the next claim says.
    expect(
      (await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, { body: { name: '后厨' } })).status,
    ).toBe(200);
    await expect(cache.get(bot.id, 'v2')).resolves.toMatchObject({ name: '后厨' });
    expect(reads).toHaveBeenCalledTimes(4);
  });
});
