import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DingTalkHttp, DingTalkNetworkError } from './dingtalk-http';
import { DINGTALK_HINTS } from './dingtalk-hints';
import { DingTalkOutcome, networkOutcome } from './dingtalk-outcome';
import { webhookBody } from './message-bodies';
import { classifyWebhookAnswer } from './old-api-answers';
import { OutgoingMessage } from './outgoing-message';
import { signedWebhookUrl } from './webhook-signing';

/** Posts to a custom group robot (docs/dingtalk/custom-robot.md), signed when the bot has a secret. */
@Injectable()
export class WebhookClient {
  constructor(
    private readonly http: DingTalkHttp,
    private readonly clock: Clock,
  ) {}

  async send(
    webhook: string,
    secret: string | null,
    message: OutgoingMessage,
    signal?: AbortSignal,
  ): Promise<DingTalkOutcome> {
    // Signed at the moment of sending: DingTalk accepts a timestamp within an hour of its own clock.
    const outcome = await this.post(signedWebhookUrl(webhook, secret, this.clock.now()), message, signal);
    // Unsigned, DingTalk's "sign not match" means the robot wants a signature: there is no secret to check yet.
    return secret === null && outcome.hint === DINGTALK_HINTS.signature
      ? { ...outcome, hint: DINGTALK_HINTS.unsigned }
      : outcome;
  }

  /**
   * Replies into the conversation a Stream message came from (same body, no token, never signed:
   * docs/dingtalk/robot-messages.md).
   */
  async reply(sessionWebhook: string, message: OutgoingMessage): Promise<DingTalkOutcome> {
    return this.post(sessionWebhook, message);
  }

  private async post(url: string, message: OutgoingMessage, signal?: AbortSignal): Promise<DingTalkOutcome> {
    try {
      return classifyWebhookAnswer(await this.http.post(url, webhookBody(message), {}, signal));
    } catch (error) {
      if (error instanceof DingTalkNetworkError) return networkOutcome(error);
      throw error;
    }
  }
}
