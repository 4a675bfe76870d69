import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../../database/query-rows';

/** Where alerts go (table alert_destinations): the chain's (`storeId` null) or one store's. */
export interface AlertDestination {
  id: number;
  name: string;
  storeId: number | null;
  dingtalkBotId: number | null;
  webhookUrl: string | null;
  /** SecretBox-sealed `whsec_…`. */
  sealedWebhookSecret: string | null;
  isEnabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What a caller sets on a destination. */
export type DestinationFields = Omit<AlertDestination, 'id' | 'createdAt' | 'updatedAt'>;

interface DestinationRow {
  id: number;
  name: string;
  store_id: number | null;
  dingtalk_bot_id: number | null;
  webhook_url: string | null;
  sealed_webhook_secret: string | null;
  is_enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, name, store_id, dingtalk_bot_id, webhook_url, sealed_webhook_secret, is_enabled, created_at,
  updated_at`;

/** The alert destinations, owned by the bot-health module. */
@Injectable()
export class AlertDestinationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(fields: DestinationFields, at: Date): Promise<AlertDestination> {
    const [row] = await this.dataSource.query<DestinationRow[]>(
      `INSERT INTO alert_destinations
         (name, store_id, dingtalk_bot_id, webhook_url, sealed_webhook_secret, is_enabled, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
       RETURNING ${COLUMNS}`,
      [...values(fields), at],
    );
    return destinationOf(row);
  }

  async find(id: number): Promise<AlertDestination | null> {
    const [row] = await this.dataSource.query<DestinationRow[]>(
      `SELECT ${COLUMNS} FROM alert_destinations WHERE id = $1`,
      [id],
    );
    return row ? destinationOf(row) : null;
  }

  /**
   * Changes destination `id` under its row lock: `next` is given it as stored and answers its new fields (it may
   * throw to refuse). Null when there is no such destination.
   */
  async update(
    id: number,
    at: Date,
    next: (current: AlertDestination, manager: EntityManager) => Promise<DestinationFields>,
  ): Promise<AlertDestination | null> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<DestinationRow[]>(
        `SELECT ${COLUMNS} FROM alert_destinations WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!row) return null;
      const fields = await next(destinationOf(row), manager);
      const [updated] = rowsOf<DestinationRow>(
        await manager.query(
          `UPDATE alert_destinations
           SET name = $2, store_id = $3, dingtalk_bot_id = $4, webhook_url = $5, sealed_webhook_secret = $6,
               is_enabled = $7, updated_at = $8
           WHERE id = $1
           RETURNING ${COLUMNS}`,
          [id, ...values(fields), at],
        ),
      );
      return destinationOf(updated);
    });
  }

  /** False when there was no such destination. */
  async delete(id: number): Promise<boolean> {
    const rows = rowsOf<{ id: number }>(
      await this.dataSource.query(`DELETE FROM alert_destinations WHERE id = $1 RETURNING id`, [id]),
    );
    return rows.length > 0;
  }

  /** A page of the destinations (of one store, or the chain's too when `storeId` is undefined), newest first. */
  async list(
    storeId: number | undefined,
    skip: number,
    take: number,
  ): Promise<{ items: AlertDestination[]; total: number }> {
    const rows = await this.dataSource.query<Array<DestinationRow & { total: string }>>(
      `SELECT ${COLUMNS}, count(*) OVER () AS total FROM alert_destinations
       WHERE $1::integer IS NULL OR store_id = $1::integer
       ORDER BY id DESC OFFSET $2 LIMIT $3`,
      [storeId ?? null, skip, take],
    );
    return { items: rows.map(destinationOf), total: rows.length === 0 ? 0 : Number(rows[0].total) };
  }

  /** The enabled destinations of a bot of store `storeId`: the chain's and the store's, in the caller's transaction. */
  async enabledFor(manager: EntityManager, storeId: number): Promise<AlertDestination[]> {
    const rows = await manager.query<DestinationRow[]>(
      `SELECT ${COLUMNS} FROM alert_destinations
       WHERE is_enabled AND (store_id IS NULL OR store_id = $1)
       ORDER BY id`,
      [storeId],
    );
    return rows.map(destinationOf);
  }
}

function values(fields: DestinationFields): unknown[] {
  return [
    fields.name,
    fields.storeId,
    fields.dingtalkBotId,
    fields.webhookUrl,
    fields.sealedWebhookSecret,
    fields.isEnabled,
  ];
}

function destinationOf(row: DestinationRow): AlertDestination {
  return {
    id: row.id,
    name: row.name,
    storeId: row.store_id,
    dingtalkBotId: row.dingtalk_bot_id,
    webhookUrl: row.webhook_url,
    sealedWebhookSecret: row.sealed_webhook_secret,
    isEnabled: row.is_enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
