import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../database/query-rows';
import { ConfirmationButton, DEFAULT_BUTTONS } from './confirmation-state';

/** A store's kitchen confirmation settings (table confirmation_settings); the defaults when it has none. */
export interface ConfirmationSettings {
  storeId: number;
  enabled: boolean;
  buttons: ConfirmationButton[];
  reminderAfterMinutes: number | null;
  reminderAtUserIds: string[];
  reminderAtMobiles: string[];
  escalationAfterMinutes: number | null;
  escalationBotId: number | null;
  updatedAt: Date | null;
}

interface SettingsRow {
  store_id: number;
  enabled: boolean;
  buttons: ConfirmationButton[];
  reminder_after_minutes: number | null;
  reminder_at_user_ids: string[];
  reminder_at_mobiles: string[];
  escalation_after_minutes: number | null;
  escalation_bot_id: number | null;
  updated_at: Date | null;
}

export function defaultSettings(storeId: number): ConfirmationSettings {
  return {
    storeId,
    enabled: false,
    buttons: DEFAULT_BUTTONS.map((button) => ({ ...button })),
    reminderAfterMinutes: null,
    reminderAtUserIds: [],
    reminderAtMobiles: [],
    escalationAfterMinutes: null,
    escalationBotId: null,
    updatedAt: null,
  };
}

function fromRow(row: SettingsRow): ConfirmationSettings {
  return {
    storeId: row.store_id,
    enabled: row.enabled,
    buttons: row.buttons,
    reminderAfterMinutes: row.reminder_after_minutes,
    reminderAtUserIds: row.reminder_at_user_ids,
    reminderAtMobiles: row.reminder_at_mobiles,
    escalationAfterMinutes: row.escalation_after_minutes,
    escalationBotId: row.escalation_bot_id,
    updatedAt: row.updated_at ? new Date(row.updated_at) : null,
  };
}

@Injectable()
export class ConfirmationSettingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The store's settings, or its defaults (off) when it never set any. */
  async get(
    storeId: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConfirmationSettings> {
    const [row] = rowsOf<SettingsRow>(
      await manager.query(`SELECT * FROM confirmation_settings WHERE store_id = $1`, [storeId]),
    );
    return row ? fromRow(row) : defaultSettings(storeId);
  }

  /** The settings of several stores at once (the escalation job), only those that have some. */
  async ofStores(storeIds: readonly number[]): Promise<Map<number, ConfirmationSettings>> {
    if (storeIds.length === 0) return new Map();
    const rows = rowsOf<SettingsRow>(
      await this.dataSource.query(`SELECT * FROM confirmation_settings WHERE store_id = ANY($1::integer[])`, [
        [...storeIds],
      ]),
    );
    return new Map(rows.map((row) => [row.store_id, fromRow(row)]));
  }

  async put(settings: ConfirmationSettings, at: Date): Promise<ConfirmationSettings> {
    const [row] = rowsOf<SettingsRow>(
      await this.dataSource.query(
        `INSERT INTO confirmation_settings (store_id, enabled, buttons, reminder_after_minutes, reminder_at_user_ids,
                                            reminder_at_mobiles, escalation_after_minutes, escalation_bot_id,
                                            updated_at)
         VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6::jsonb, $7, $8, $9)
         ON CONFLICT (store_id) DO UPDATE SET enabled = EXCLUDED.enabled, buttons = EXCLUDED.buttons,
           reminder_after_minutes = EXCLUDED.reminder_after_minutes,
           reminder_at_user_ids = EXCLUDED.reminder_at_user_ids, reminder_at_mobiles = EXCLUDED.reminder_at_mobiles,
           escalation_after_minutes = EXCLUDED.escalation_after_minutes,
           escalation_bot_id = EXCLUDED.escalation_bot_id, updated_at = EXCLUDED.updated_at
         RETURNING *`,
        [
          settings.storeId,
          settings.enabled,
          JSON.stringify(settings.buttons),
          settings.reminderAfterMinutes,
          JSON.stringify(settings.reminderAtUserIds),
          JSON.stringify(settings.reminderAtMobiles),
          settings.escalationAfterMinutes,
          settings.escalationBotId,
          at,
        ],
      ),
    );
    return fromRow(row);
  }
}
