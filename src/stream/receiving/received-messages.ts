import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../../common/clock';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { BotCommandKind } from './bot-command';
import { BotMessage } from './bot-message';
import { ReceivedBotMessage, ReplyVia } from './entities/received-bot-message.entity';

export interface HandledMessage {
  outcome: string;
  menuReportId: number | null;
  replyVia: ReplyVia;
  replyError: string | null;
}

/** The log of received bot messages, and the one place that decides whether a message is new. */
@Injectable()
export class ReceivedMessages {
  constructor(
    @InjectRepository(ReceivedBotMessage) private readonly rows: Repository<ReceivedBotMessage>,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores the message unless its msgId is already stored; answers the new row's id, or null for a message seen
   * before. One statement: two deliveries racing (two connections, two instances) cannot both get an id.
   */
  async claim(bot: BotWithSecrets, message: BotMessage, command: BotCommandKind): Promise<string | null> {
    const inserted = await this.rows
      .createQueryBuilder()
      .insert()
      .values({
        robotCode: bot.clientId ?? message.robotCode ?? `bot:${bot.id}`,
        msgId: message.msgId,
        botId: bot.id,
        storeId: bot.storeId,
        conversationId: message.conversationId,
        conversationType: message.conversationType,
        senderStaffId: message.senderStaffId?.slice(0, 100) ?? null,
        senderNick: message.senderNick?.slice(0, 100) ?? null,
        msgType: message.msgType.slice(0, 32),
        text: message.text,
        command,
        receivedAt: new Date(this.clock.now()),
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    const row = inserted.raw as Array<{ id: string | number }>;
    return row.length > 0 ? String(row[0].id) : null;
  }

  async finish(id: string, handled: HandledMessage): Promise<void> {
    await this.rows.update(
      { id },
      {
        outcome: handled.outcome,
        menuReportId: handled.menuReportId,
        replyVia: handled.replyVia,
        replyError: handled.replyError?.slice(0, 1000) ?? null,
        handledAt: new Date(this.clock.now()),
      },
    );
  }
}
