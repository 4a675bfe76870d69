import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * What the routing of an app's messages keeps (tables dingtalk_sender_bindings and unlinked_group_notices): the
 * store each staff member bound themselves to, and when a group nobody linked was last told so. Shared by every
 * instance: each decision is one statement.
 */
@Injectable()
export class RoutingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The store staff member `staffId` bound themselves to for app `appId`, or null. */
  async boundStore(appId: number, staffId: string): Promise<number | null> {
    const rows = await this.dataSource.query<Array<{ store_id: number }>>(
      `SELECT store_id FROM dingtalk_sender_bindings WHERE app_id = $1 AND staff_id = $2`,
      [appId, staffId],
    );
    return rows[0]?.store_id ?? null;
  }

  /** Staff member `staffId`'s one-to-one messages to app `appId` go to store `storeId` from now on. */
  async bind(appId: number, staffId: string, storeId: number, at: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO dingtalk_sender_bindings (app_id, staff_id, store_id, bound_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (app_id, staff_id) DO UPDATE SET store_id = EXCLUDED.store_id, bound_at = EXCLUDED.bound_at`,
      [appId, staffId.slice(0, 100), storeId, new Date(at)],
    );
  }

  /**
   * Whether group `conversationId` of app `appId` is to be told now that it is not linked: true the first time on the
   * day of `at` in `timeZone` (the stores' day), false after that, whichever instance asks.
   */
  async firstNoticeToday(
    appId: number,
    conversationId: string,
    at: number,
    timeZone: string,
  ): Promise<boolean> {
    const rows = await this.dataSource.query<Array<{ app_id: number }>>(
      `INSERT INTO unlinked_group_notices AS n (app_id, conversation_id, notified_on)
       VALUES ($1, $2, ($3::timestamptz AT TIME ZONE $4)::date)
       ON CONFLICT (app_id, conversation_id) DO UPDATE SET notified_on = EXCLUDED.notified_on
         WHERE n.notified_on < EXCLUDED.notified_on
       RETURNING app_id`,
      [appId, conversationId, new Date(at), timeZone],
    );
    return rows.length > 0;
  }
}
