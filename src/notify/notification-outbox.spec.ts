import { DataSource, EntityManager } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { givenBotOnOwnRobot, stopDispatcher } from '../../test/support/delivery-queue';
import { useTestApp } from '../../test/support/use-test-app';
import { NotificationOutbox, OutgoingNotification } from './notification-outbox';

/** The outbox's wake signal on the real database: once what it wrote to send is committed, and only then. */
describe('NotificationOutbox', () => {
  const { t } = useTestApp();
  const db = () => t.app.get(DataSource);
  const outbox = () => t.app.get(NotificationOutbox);
  let signals = 0;
  let botId: number;
  const row = (fields: Partial<OutgoingNotification> = {}): OutgoingNotification => ({
    botId,
    storeId: 801,
    menuReportId: null,
    kind: 'batch',
    status: 'pending',
    hint: null,
    msgType: 'text',
    title: '测试',
    content: '测试',
    atMobiles: [],
    atUserIds: [],
    atAll: false,
    partOf: null,
    ...fields,
  });

  beforeAll(async () => {
    // The application's dispatcher stopped: what is written here stays put, and only this listener counts.
    await stopDispatcher(t);
    outbox().whenCommitted(() => (signals += 1));
    botId = (await givenBotOnOwnRobot(t, { store_id: 801 })).id;
  });

  /** How many signals `work` gave (a failing `work` too). */
  const signalsOf = async (work: () => Promise<unknown>) => {
    const before = signals;
    await work().catch(() => undefined);
    return signals - before;
  };

  it('signals once the transaction that wrote the rows has committed, not when the write returns', async () => {
    let during = -1;
    const total = await signalsOf(() =>
      db().transaction(async (manager) => {
        const before = signals;
        await outbox().enqueue(manager, [row(), row()]);
        during = signals - before;
      }),
    );
    expect(during).toBe(0);
    expect(total).toBe(1);
  });

  it('never signals for a transaction that rolled back', async () => {
    const total = await signalsOf(() =>
      db().transaction(async (manager) => {
        await outbox().enqueue(manager, [row()]);
        throw new Error('the caller changed its mind');
      }),
    );
    expect(total).toBe(0);
    // The next commit on a connection is not taken for the one that rolled back.
    expect(await signalsOf(() => db().transaction((manager) => manager.query('SELECT 1')))).toBe(0);
  });

  it('waits for the outer commit when written inside a savepoint', async () => {
    let afterSavepoint = -1;
    const total = await signalsOf(() =>
      db().transaction(async (manager: EntityManager) => {
        const before = signals;
        await manager.transaction((inner) => outbox().enqueue(inner, [row()]));
        afterSavepoint = signals - before;
      }),
    );
    expect(afterSavepoint).toBe(0);
    expect(total).toBe(1);
  });

  it('signals at once for a write outside a transaction (its statement committed alone)', async () => {
    expect(await signalsOf(() => outbox().enqueue(db().manager, [row()]))).toBe(1);
  });

  it('does not signal when nothing was written to send', async () => {
    const skippedOnly = () =>
      db().transaction((manager) =>
        outbox().enqueue(manager, [row({ status: 'skipped', hint: 'no target' })]),
      );
    expect(await signalsOf(skippedOnly)).toBe(0);
  });
});
