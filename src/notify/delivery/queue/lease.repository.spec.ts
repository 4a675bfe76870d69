import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  claimDue,
  expireLease,
  givenBotOnOwnRobot,
  stopDispatcher,
} from '../../../../test/support/delivery-queue';
import { givenMenuReport } from '../../../../test/support/given';
import { useTestApp } from '../../../../test/support/use-test-app';
import { LeaseRepository } from './lease.repository';

/** LeaseRepository on the real database: a claim's lease renewed and given back, only while the claim holds it. */
describe('LeaseRepository', () => {
  const { t } = useTestApp();
  const db = () => t.app.get(DataSource);
  const leases = () => t.app.get(LeaseRepository);
  const leaseOf = async (id: string) =>
    (
      await db().query(
        `SELECT lease_owner, claim, lease_expires_at > now() + interval '90 seconds' AS long FROM notifications
         WHERE id = $1`,
        [id],
      )
    )[0];
  const busyOf = async (botId: number) =>
    (
      await db().query(
        `SELECT busy_claim, next_due_at, busy_until > now() + interval '90 seconds' AS long FROM bot_delivery_states
         WHERE bot_id = $1`,
        [botId],
      )
    )[0];

  beforeAll(async () => {
    await stopDispatcher(t);
  });

  it('extends the lease of a send in flight, and answers which claims still hold their row', async () => {
    const bot = await givenBotOnOwnRobot(t, { store_id: 601 });
    await givenMenuReport(t, { store_id: 601 });
    const [lost] = await claimDue(t, [bot.id], { owner: 'instance-a', now: Date.now() });
    await expireLease(db(), lost.id, bot.id);
    const [held] = await claimDue(t, [bot.id], { owner: 'instance-b', now: Date.now() });
    const now = Date.now();

    expect(await leases().renew([lost], 120_000, now)).toEqual(new Set());
    expect(await leaseOf(held.id)).toMatchObject({ long: false, claim: held.claim });
    expect(await leases().renew([held], 120_000, now)).toEqual(new Set([held.id]));
    expect(await leaseOf(held.id)).toMatchObject({ long: true, lease_owner: 'instance-b' });
    expect(await busyOf(bot.id)).toEqual({
      busy_claim: held.claim,
      long: true,
      next_due_at: new Date(now + 120_000),
    });
  });

  it('gives back a claim whose send never began, due at once, but not one another claim took over', async () => {
    const bot = await givenBotOnOwnRobot(t, { store_id: 602 });
    await givenMenuReport(t, { store_id: 602 });
    const [lost] = await claimDue(t, [bot.id], { owner: 'instance-a', now: Date.now() });
    await expireLease(db(), lost.id, bot.id);
    const [held] = await claimDue(t, [bot.id], { owner: 'instance-b', now: Date.now() });
    const now = Date.now();

    expect(await leases().release([lost], now)).toBe(0);
    expect(await leaseOf(held.id)).toMatchObject({ lease_owner: 'instance-b', claim: held.claim });
    expect(await leases().release([held], now)).toBe(1);
    expect(await leaseOf(held.id)).toMatchObject({ lease_owner: null, claim: null });
    expect(await busyOf(bot.id)).toMatchObject({ busy_claim: null, next_due_at: new Date(now) });
  });

  it('gives back every lease at once, at the start of the only process an embedded database allows', async () => {
    const bots = [
      await givenBotOnOwnRobot(t, { store_id: 603 }),
      await givenBotOnOwnRobot(t, { store_id: 604 }),
    ];
    await givenMenuReport(t, { store_id: 603 });
    await givenMenuReport(t, { store_id: 604 });
    const claimed = await claimDue(
      t,
      bots.map((bot) => bot.id),
      { maxClaims: 2, now: Date.now() },
    );
    expect(claimed).toHaveLength(2);

    expect(await leases().releaseAll(Date.now())).toBeGreaterThanOrEqual(2);
    for (const claim of claimed)
      expect(await leaseOf(claim.id)).toMatchObject({ lease_owner: null, claim: null });
  });
});
