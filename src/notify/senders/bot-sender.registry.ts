import { Inject, Injectable } from '@nestjs/common';
import { BotType } from '../../dingtalk-bot/entities/dingtalk-bot.entity';
import { BOT_SENDERS, BotSender } from './bot-sender';

/** Picks the sender for a bot's `bot_type` (STYLE: strategies chosen by name). */
@Injectable()
export class BotSenderRegistry {
  private readonly byType: ReadonlyMap<BotType, BotSender>;

  constructor(@Inject(BOT_SENDERS) senders: BotSender[]) {
    this.byType = new Map(senders.map((sender) => [sender.botType, sender]));
  }

  senderFor(botType: BotType): BotSender {
    const sender = this.byType.get(botType);
    if (!sender) throw new Error(`No sender for bot_type ${botType}`);
    return sender;
  }
}
