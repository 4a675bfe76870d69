import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rowsOf } from '../../database/query-rows';

/** How bot health is judged and alerted, for the whole service (table bot_health_settings, one row). */
export interface BotHealthSettings {
  /** A Stream connection reconnecting this long makes its bot broken (`cannot_connect`). */
  unreachableAfterSeconds: number;
  /** A change is alerted once it has lasted this long: a bot that breaks and mends within it is not alerted. */
  alertQuietPeriodSeconds: number;
  /** While a bot stays broken after its alert, a reminder this often. */
  alertReminderHours: number;
  updatedAt: Date;
  /** Who changed them last (the token's `sub`); null: never changed. */
  updatedBy: string | null;
}

/** The settings a caller may change. */
export type SettingsChanges = Partial<
  Pick<BotHealthSettings, 'unreachableAfterSeconds' | 'alertQuietPeriodSeconds' | 'alertReminderHours'>
>;

interface SettingsRow {
  unreachable_after_seconds: number;
  alert_quiet_period_seconds: number;
  alert_reminder_hours: number;
  updated_at: Date;
  updated_by: string | null;
}

const COLUMNS =
  'unreachable_after_seconds, alert_quiet_period_seconds, alert_reminder_hours, updated_at, updated_by';

/** The one row of bot_health_settings (migration 1764003200000 writes it). */
@Injectable()
export class BotHealthSettingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(): Promise<BotHealthSettings> {
    const [row] = await this.dataSource.query<SettingsRow[]>(
      `SELECT ${COLUMNS} FROM bot_health_settings WHERE id = 1`,
    );
    return settingsOf(row);
  }

  /** Changes the settings given (undefined: left as they are). */
  async update(changes: SettingsChanges, by: string, at: Date): Promise<BotHealthSettings> {
    const [row] = rowsOf<SettingsRow>(
      await this.dataSource.query(
        `UPDATE bot_health_settings
         SET unreachable_after_seconds = COALESCE($1, unreachable_after_seconds),
             alert_quiet_period_seconds = COALESCE($2, alert_quiet_period_seconds),
             alert_reminder_hours = COALESCE($3, alert_reminder_hours),
             updated_at = $4, updated_by = $5
         WHERE id = 1
         RETURNING ${COLUMNS}`,
        [
          changes.unreachableAfterSeconds ?? null,
          changes.alertQuietPeriodSeconds ?? null,
          changes.alertReminderHours ?? null,
          at,
          by,
        ],
      ),
    );
    return settingsOf(row);
  }
}

function settingsOf(row: SettingsRow): BotHealthSettings {
  return {
    unreachableAfterSeconds: row.unreachable_after_seconds,
    alertQuietPeriodSeconds: row.alert_quiet_period_seconds,
    alertReminderHours: row.alert_reminder_hours,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}
