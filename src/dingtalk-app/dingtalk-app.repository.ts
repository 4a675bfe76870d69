import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { rowsOf } from '../database/query-rows';
import { DingTalkApp } from './entities/dingtalk-app.entity';

/** A new app's row, its secret sealed already. */
export interface NewAppRow {
  name: string;
  clientId: string;
  sealedClientSecret: string;
  agentId: string | null;
}

/** The apps table (dingtalk_apps): the only place that reads or writes it. */
@Injectable()
export class DingTalkAppRepository {
  constructor(@InjectRepository(DingTalkApp) private readonly apps: Repository<DingTalkApp>) {}

  find(id: number, manager?: EntityManager): Promise<DingTalkApp | null> {
    return (manager?.getRepository(DingTalkApp) ?? this.apps).findOneBy({ id });
  }

  /** The app `id` locked until the caller's transaction ends (an update of its secret). */
  findForUpdate(manager: EntityManager, id: number): Promise<DingTalkApp | null> {
    return manager.findOne(DingTalkApp, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findByClientId(manager: EntityManager, clientId: string): Promise<DingTalkApp | null> {
    return manager.findOneBy(DingTalkApp, { clientId });
  }

  async byIds(ids: readonly number[]): Promise<Map<number, DingTalkApp>> {
    if (ids.length === 0) return new Map();
    const rows = await this.apps.findBy({ id: In([...new Set(ids)]) });
    return new Map(rows.map((row) => [row.id, row]));
  }

  page(skip: number, take: number): Promise<[DingTalkApp[], number]> {
    return this.apps.findAndCount({ order: { id: 'ASC' }, skip, take });
  }

  /**
   * Adds an app unless its client_id is there already (another request added it meanwhile): the new row, or null.
   * One statement, so two requests adding one app at once cannot both insert it.
   */
  async insertIfAbsent(manager: EntityManager, row: NewAppRow): Promise<DingTalkApp | null> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(DingTalkApp)
      .values(row)
      .orIgnore()
      .returning('id')
      .execute();
    const id = (inserted.raw as Array<{ id: number }>)[0]?.id;
    return id === undefined ? null : manager.findOneByOrFail(DingTalkApp, { id });
  }

  /**
   * In the transaction that attaches a bot of store `storeId` to app `appId` (creates it on the app, moves it there,
   * or moves it to another store): the app's first store if it has none, or the app shared if the store is another.
   * True when this statement made the app shared.
   *
   * One statement that decides on the app's own row, so that two bots of two stores attached at once both count: the
   * second UPDATE waits for the first one's row lock, and PostgreSQL then evaluates its WHERE and SET again on the row
   * the first one committed (first_store_id set), so it marks the app shared. A check of the app's bots instead (an
   * EXISTS on ding_talk_bots) would not: neither transaction sees the other's uncommitted bot, and the one that waits
   * still reads the bots as they were when its statement began. The WHERE leaves the row alone (no write, no lock) when
   * nothing changes: a bot of the first store, or an app shared already.
   */
  async markAttached(manager: EntityManager, appId: number, storeId: number): Promise<boolean> {
    const rows = rowsOf<{ shared: boolean }>(
      await manager.query(
        `UPDATE dingtalk_apps
         SET first_store_id = COALESCE(first_store_id, $2),
             shared_since = CASE WHEN first_store_id IS NOT NULL THEN now() END
         WHERE id = $1 AND shared_since IS NULL AND first_store_id IS DISTINCT FROM $2
         RETURNING shared_since IS NOT NULL AS shared`,
        [appId, storeId],
      ),
    );
    return rows[0]?.shared ?? false;
  }

  save(manager: EntityManager, app: DingTalkApp): Promise<DingTalkApp> {
    return manager.save(app);
  }

  async delete(id: number): Promise<void> {
    await this.apps.delete({ id });
  }
}
