import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { AppMessagingClient } from '../../dingtalk/app-messaging.client';
import { AppCredentials } from '../../dingtalk/app-credentials';
import { DingTalkOutcome } from '../../dingtalk/dingtalk-outcome';
import { OutgoingMessage } from '../../dingtalk/outgoing-message';
import { canRetryRecipient, oneToOneRecipients, RecipientOutcome } from '../../dingtalk/recipient-outcomes';
import { WebhookClient } from '../../dingtalk/webhook.client';
import { BotMessage } from './bot-message';
import { ReplyVia } from './entities/received-bot-message.entity';

export interface ReplyResult {
  via: ReplyVia;
  /** Why the answer did not arrive; null when it did. */
  error: string | null;
  /** A one-to-one reply: what became of it for each user (null: another way, or DingTalk named nobody). */
  recipients: RecipientOutcome[] | null;
}

/** `sendBySession` of a conversation whose reply window has closed (docs/dingtalk/robot-messages.md). */
const SESSION_EXPIRED = 300001;

/**
 * Waits before a one-to-one reply goes again to the users DingTalk throttled (`flowControlledStaffIdList`: "sending
 * again later can work", docs/dingtalk/robot-messages.md). Bounded: at most three sends within 7 s, short enough for
 * a handling (and a shutdown that waits for it); a user still throttled then is recorded so.
 */
const FLOW_CONTROL_WAITS_MS = [2_000, 5_000];

/**
 * Answers a message in its conversation: through the message's `sessionWebhook` while it is valid (about
 * 90 minutes), otherwise through the app's robot APIs (docs/dingtalk/robot-messages.md): a group message into a
 * group, a one-to-one robot message to the sender of a single chat. Every call has the DingTalk client's deadline.
 */
@Injectable()
export class BotReplier {
  constructor(
    private readonly webhooks: WebhookClient,
    private readonly apps: AppMessagingClient,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** `app`: the app the message came to (its credentials, for when the reply window has closed). */
  async reply(app: AppCredentials | null, message: BotMessage, reply: OutgoingMessage): Promise<ReplyResult> {
    if (this.sessionUsable(message)) {
      const outcome = await this.webhooks.reply(message.sessionWebhook!, reply);
      if (outcome.kind === 'ok') return { via: 'session', error: null, recipients: null };
      if (Number(outcome.errcode) !== SESSION_EXPIRED) {
        return { via: 'session', error: describe(outcome), recipients: null };
      }
    }
    return this.fallback(app, message, reply);
  }

  /**
   * The service POSTs to this URL, and it arrives inside a message: it must be DingTalk's `sendBySession` (an
   * origin the service may post webhooks to), and still valid by the expiry the message itself gives.
   */
  private sessionUsable(message: BotMessage): boolean {
    if (!message.sessionWebhook) return false;
    if (message.sessionWebhookExpiredTime !== null && message.sessionWebhookExpiredTime <= this.clock.now()) {
      return false;
    }
    let url: URL;
    try {
      url = new URL(message.sessionWebhook);
    } catch {
      return false;
    }
    const origins = new Set([
      ...this.config.dingtalk.webhookOrigins,
      new URL(this.config.dingtalk.oapiUrl).origin,
    ]);
    return origins.has(url.origin) && url.pathname === '/robot/sendBySession';
  }

  private async fallback(
    app: AppCredentials | null,
    message: BotMessage,
    reply: OutgoingMessage,
  ): Promise<ReplyResult> {
    if (!app) return { via: 'none', error: 'The app is gone', recipients: null };
    if (message.conversationType === '2' && message.conversationId) {
      return settle('group', await this.apps.sendGroupMessage(app, message.conversationId, reply));
    }
    if (message.conversationType === '1' && message.senderStaffId) {
      return this.oneToOne(app, [message.senderStaffId], reply);
    }
    return {
      via: 'none',
      error: 'The reply window has closed and the conversation cannot be reached otherwise',
      recipients: null,
    };
  }

  /**
   * A one-to-one robot message; the users DingTalk throttled get it again after a wait (FLOW_CONTROL_WAITS_MS), the
   * others never twice. Each user's outcome is returned for the message's record.
   */
  private async oneToOne(
    app: AppCredentials,
    userIds: readonly string[],
    reply: OutgoingMessage,
  ): Promise<ReplyResult> {
    const recipients = new Map<string, RecipientOutcome>();
    let pending = [...userIds];
    let last: DingTalkOutcome;
    for (let attempt = 0; ; attempt++) {
      last = await this.apps.sendOneToOne(app, pending, reply);
      const outcomes = oneToOneRecipients(pending, last);
      if (outcomes === null) break; // Refused as a whole: nobody got it, and the error says why.
      for (const outcome of outcomes) recipients.set(outcome.userId, outcome);
      pending = outcomes.filter(canRetryRecipient).map((outcome) => outcome.userId);
      const wait = FLOW_CONTROL_WAITS_MS[attempt];
      if (pending.length === 0 || wait === undefined) break;
      await this.clock.sleep(wait);
    }
    const known = recipients.size > 0 ? userIds.flatMap((userId) => recipients.get(userId) ?? []) : null;
    const missed = known?.filter((recipient) => recipient.outcome !== 'delivered') ?? [];
    const error =
      known === null
        ? describe(last)
        : missed.length > 0
          ? `Not delivered to ${missed.map((recipient) => `${recipient.userId} (${recipient.errcode ?? recipient.outcome})`).join(', ')}`
          : null;
    return { via: 'oto', error, recipients: known };
  }
}

function settle(via: ReplyVia, outcome: DingTalkOutcome): ReplyResult {
  return { via, error: outcome.kind === 'ok' ? null : describe(outcome), recipients: null };
}

function describe(outcome: DingTalkOutcome): string {
  return [outcome.errcode, outcome.errmsg].filter((part) => part !== null && part !== '').join(' ');
}
