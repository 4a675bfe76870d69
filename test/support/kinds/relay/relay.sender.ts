import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../src/config/app-config';
import { BotWithSecrets } from '../../../../src/dingtalk-bot/bot-fields';
import { BotSender, SendOutcome } from '../../../../src/dingtalk-bot/bot-sender';
import { OutgoingMessage } from '../../../../src/dingtalk/outgoing-message';

/** What the relay posts: the message as the notification carries it. */
export interface RelayedMessage {
  bot_id: number;
  msg_type: string;
  title: string;
  text: string;
  at_mobiles: string[];
}

/**
 * Posts each message to the relay bot's URL, within DINGTALK_TIMEOUT_MS (it injects the configuration, as a real
 * sender injects its client). A 2xx is sent; anything else is worth a retry.
 */
@Injectable()
export class RelaySender implements BotSender {
  constructor(private readonly config: AppConfig) {}

  async send(bot: BotWithSecrets, message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
    const started = performance.now();
    const body: RelayedMessage = {
      bot_id: bot.id,
      msg_type: message.msgType,
      title: message.title,
      text: message.text,
      at_mobiles: [...(message.atMobiles ?? [])],
    };
    const timeout = AbortSignal.timeout(this.config.dingtalk.timeoutMs);
    const answer = await fetch(bot.webhook!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    }).then(
      (response) => ({ status: response.status, error: null }),
      (error: unknown) => ({ status: null, error: error instanceof Error ? error.message : String(error) }),
    );
    const ok = answer.status !== null && answer.status >= 200 && answer.status < 300;
    return {
      kind: ok ? 'ok' : 'transient',
      httpStatus: answer.status,
      errcode: ok ? 0 : null,
      errmsg: ok ? 'ok' : (answer.error ?? `HTTP ${answer.status}`),
      hint: ok ? null : 'The relay did not take the message; it is retried.',
      latencyMs: Math.round(performance.now() - started),
      remainingTargets: null,
    };
  }
}
