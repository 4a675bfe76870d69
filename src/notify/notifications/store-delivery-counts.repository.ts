import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

interface CountsRow {
  store_id: number;
  pending: number;
  failed_today: number;
  sent_today: number;
}

/**
 * Notifications counted per store, for the store overview (its STORE_DELIVERIES port, bound in
 * composition.module.ts): the backlog now, and the outcomes of the notifications made on the stores' day; test
 * presses are not counted (they are the button's answer, not deliveries of the store's, and a failed one can only be
 * pressed again, never resent), nor alerts (the chain's, about every store's bots, only filed under the store of
the bot that posts them). Two parts so that each has its index: the backlog is found through
 * idx_notifications_due (status first), the day's rows through idx_notifications_store_created or the created_at
 * index.
 */
@Injectable()
export class StoreDeliveryCountsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async deliveryCountsByStore(query: {
    stores: readonly number[] | undefined;
    day: string;
    timeZone: string;
  }): Promise<Array<{ storeId: number; pending: number; failedToday: number; sentToday: number }>> {
    const rows = await this.dataSource.query<CountsRow[]>(
      `WITH scoped AS (SELECT $1::integer[] AS stores, ($2::date::timestamp AT TIME ZONE $3) AS day_start),
       backlog AS (
         SELECT n.store_id, count(*)::integer AS pending FROM notifications n, scoped
         WHERE n.status IN ('pending', 'retrying') AND n.kind NOT IN ('test', 'alert')
           AND (scoped.stores IS NULL OR n.store_id = ANY(scoped.stores))
         GROUP BY n.store_id),
       today AS (
         SELECT n.store_id,
                (count(*) FILTER (WHERE n.status = 'failed'))::integer AS failed_today,
                (count(*) FILTER (WHERE n.status = 'sent'))::integer AS sent_today
         FROM notifications n, scoped
         WHERE n.created_at >= scoped.day_start AND n.created_at < scoped.day_start + interval '1 day'
           AND n.kind NOT IN ('test', 'alert') AND (scoped.stores IS NULL OR n.store_id = ANY(scoped.stores))
         GROUP BY n.store_id)
       SELECT coalesce(b.store_id, t.store_id) AS store_id, coalesce(b.pending, 0) AS pending,
              coalesce(t.failed_today, 0) AS failed_today, coalesce(t.sent_today, 0) AS sent_today
       FROM backlog b FULL JOIN today t ON t.store_id = b.store_id`,
      [query.stores ? [...query.stores] : null, query.day, query.timeZone],
    );
    return rows.map((row) => ({
      storeId: row.store_id,
      pending: row.pending,
      failedToday: row.failed_today,
      sentToday: row.sent_today,
    }));
  }
}
