import { DataSource } from 'typeorm';
import { TestApp } from './test-app';

export interface ReportRow {
  storeId: number;
  dishName: string;
  quantity: number;
  unit: string;
  reportedBy?: string;
  /** ISO instant */
  at: string;
}

/**
 * Writes menu reports at given instants, straight into the database: the API stamps a report with the database's
 * own now(), which a test cannot move, and a day's summary is all about which day a report fell on.
 */
export async function insertReports(t: TestApp, rows: readonly ReportRow[]): Promise<void> {
  await t.app.get(DataSource).query(
    `INSERT INTO menu_reports (store_id, dish_name, quantity, unit, reported_by, created_at)
     SELECT * FROM unnest($1::integer[], $2::text[], $3::numeric[], $4::text[], $5::text[], $6::timestamptz[])`,
    [
      rows.map((row) => row.storeId),
      rows.map((row) => row.dishName),
      rows.map((row) => row.quantity),
      rows.map((row) => row.unit),
      rows.map((row) => row.reportedBy ?? 'test-admin'),
      rows.map((row) => row.at),
    ],
  );
}
