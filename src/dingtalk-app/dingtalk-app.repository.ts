import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
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

  save(manager: EntityManager, app: DingTalkApp): Promise<DingTalkApp> {
    return manager.save(app);
  }

  async delete(id: number): Promise<void> {
    await this.apps.delete({ id });
  }
}
