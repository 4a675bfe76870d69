import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rowsOf } from '../../database/query-rows';

/** How bot health is judged, for the whole service (table bot_health_settings, one row). */
export interface BotHealthSettings {
  /** A Stream connection reconnecting this long makes its bot broken (`cannot_connect`). */
  unreachableAfterSeconds: number;
  updatedAt: Date;
  /** Who changed them last (the token's `sub`); null: never changed. */
  updatedBy: string | null;
}

interface SettingsRow {
  unreachable_after_seconds: number;
  updated_at: Date;
  updated_by: string | null;
}

const COLUMNS = 'unreachable_after_seconds, updated_at, updated_by';

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
  async update(
    changes: Partial<Pick<BotHealthSettings, 'unreachableAfterSeconds'>>,
    by: string,
    at: Date,
  ): Promise<BotHealthSettings> {
    const [row] = rowsOf<SettingsRow>(
      await this.dataSource.query(
        `UPDATE bot_health_settings
         SET unreachable_after_seconds = COALESCE($1, unreachable_after_seconds), updated_at = $2, updated_by = $3
         WHERE id = 1
         RETURNING ${COLUMNS}`,
        [changes.unreachableAfterSeconds ?? null, at, by],
      ),
    );
    return settingsOf(row);
  }
}

function settingsOf(row: SettingsRow): BotHealthSettings {
  return {
    unreachableAfterSeconds: row.unreachable_after_seconds,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}
