import { DataSource } from 'typeorm';

/** Menu-report notifications delivered: sent on their own, or merged into a digest that was sent. */
export async function deliveredReportNotifications(db: DataSource): Promise<number> {
  const [row]: Array<{ done: number }> = await db.query(
    `SELECT count(*)::int AS done FROM notifications n
     WHERE n.kind = 'menu_report' AND (n.status = 'sent' OR (n.status = 'merged' AND EXISTS (
       SELECT 1 FROM notifications d WHERE d.id = n.merged_into AND d.status = 'sent')))`,
  );
  return row.done;
}

/** The most arrivals in any sliding minute (arrivals less than 60 s apart), as DingTalk counts a robot's rate. */
export function busiestMinute(arrivedAt: readonly number[]): number {
  const arrivals = [...arrivedAt].sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < arrivals.length; i++) {
    while (j + 1 < arrivals.length && arrivals[j + 1] - arrivals[i] < 60_000) j++;
    busiest = Math.max(busiest, j - i + 1);
  }
  return busiest;
}
