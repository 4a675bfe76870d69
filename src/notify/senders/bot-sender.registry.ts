import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { botKinds } from '../../dingtalk-bot/bot-kinds';
import { BotSender } from '../../dingtalk-bot/bot-sender';
import { BotType } from '../../dingtalk-bot/entities/dingtalk-bot.entity';

/**
 * Picks the sender for a bot's `bot_type` (STYLE: strategies chosen by name): its kind's sender, made at the
 * application's start with the providers it injects (the DingTalk clients), so a sender that cannot be made stops
 * the start rather than a send.
 */
@Injectable()
export class BotSenderRegistry implements OnModuleInit {
  private readonly byType = new Map<BotType, BotSender>();

  constructor(private readonly moduleRef: ModuleRef) {}

  async onModuleInit(): Promise<void> {
    for (const kind of botKinds()) this.byType.set(kind.type, await this.moduleRef.create(kind.sender));
  }

  senderFor(botType: BotType): BotSender {
    const sender = this.byType.get(botType);
    if (!sender) throw new Error(`No sender for bot_type ${botType}`);
    return sender;
  }
}
