import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What the card callback needs of the database: the card's notification, and the clicker's nick. */
@Injectable()
export class CardClicksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The card notification `id`, if it is one of a bot of app `appId`: a callback arrives on an app's connection, and
   * names one of that app's cards (any other outTrackId is not this service's card, or not this app's).
   */
  async cardOfApp(id: string, appId: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM notifications n JOIN ding_talk_bots b ON b.id = n.bot_id
       WHERE n.id = $1 AND n.msg_type = 'card' AND b.app_id = $2`,
      [id, appId],
    );
    return rows.length > 0;
  }

  /**
   * The nick DingTalk last gave this userid in a message to the app's robot (received_bot_messages keeps every
   * message staff write): how the group knows them. Null when they never wrote to it.
   */
  async lastNick(robotCode: string, userId: string): Promise<string | null> {
    const rows: Array<{ sender_nick: string }> = await this.dataSource.query(
      `SELECT sender_nick FROM received_bot_messages
       WHERE robot_code = $1 AND sender_staff_id = $2 AND sender_nick IS NOT NULL
       ORDER BY received_at DESC LIMIT 1`,
      [robotCode, userId],
    );
    const nick = rows[0]?.sender_nick.trim();
    return nick ? nick : null;
  }
}
