import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { registerBotKind } from '../../dingtalk-bot/bot-kinds';
import { BotSender, SendOutcome } from '../../dingtalk-bot/bot-sender';
import { StreamSender } from '../../dingtalk-bot/kinds/stream/stream.sender';
import { WebhookSender } from '../../dingtalk-bot/kinds/webhook/webhook.sender';
import { webhookKind } from '../../dingtalk-bot/kinds/webhook/webhook.kind';
import { AppMessagingClient } from '../../dingtalk/app-messaging.client';
import { CardClient } from '../../dingtalk/card.client';
import { WebhookClient } from '../../dingtalk/webhook.client';
import { BotSenderRegistry } from './bot-sender.registry';

/** What no module provides. */
class Unprovided {}

@Injectable()
class NeedsUnprovided implements BotSender {
  constructor(readonly unprovided: Unprovided) {}
  send(): Promise<SendOutcome> {
    throw new Error('never sent');
  }
}

/** The registry in a module that provides the DingTalk clients (the senders' only dependencies; never called here). */
const registryModule = () =>
  Test.createTestingModule({
    providers: [
      BotSenderRegistry,
      { provide: WebhookClient, useValue: {} },
      { provide: AppMessagingClient, useValue: {} },
      { provide: CardClient, useValue: {} },
    ],
  }).compile();

describe('BotSenderRegistry', () => {
  it("makes each kind's sender at the start, with the providers it injects", async () => {
    const module = await registryModule();
    await module.init();
    const registry = module.get(BotSenderRegistry);
    expect(registry.senderFor('webhook')).toBeInstanceOf(WebhookSender);
    expect(registry.senderFor('stream')).toBeInstanceOf(StreamSender);
    expect(() => registry.senderFor('fax')).toThrow('No sender for bot_type fax');
    await module.close();
  });

  it('stops the start when a kind’s sender needs a provider nobody has', async () => {
    registerBotKind({ ...webhookKind, type: 'broken', sender: NeedsUnprovided });
    const module = await registryModule();
    await expect(module.init()).rejects.toThrow(/NeedsUnprovided/);
    await module.close();
  });
});
