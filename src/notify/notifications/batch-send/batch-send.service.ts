import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In, Repository } from 'typeorm';
import { AuthUser } from '../../../auth/auth-user';
import { assertCanWriteStore, canAccessStore } from '../../../auth/store-scope';
import { ValidationFailedException } from '../../../common/http/validation-failed.exception';
import { botKind } from '../../../dingtalk-bot/bot-kinds';
import { DingTalkBot } from '../../../dingtalk-bot/entities/dingtalk-bot.entity';
import { DINGTALK_HINTS } from '../../../dingtalk/dingtalk-outcome';
import type { IdempotentRequest } from '../../../idempotency/idempotent-request';
import { IdempotentTransactions } from '../../../idempotency/idempotent-transactions';
import { NotificationOutbox, OutgoingNotification } from '../../notification-outbox';
import { hasNoTarget } from '../../messages/bot-notifications';
import { messageParts } from '../../messages/message-parts';
import { BatchSendDto, BatchSendItem, BatchSendResponse } from './batch-send.dto';

const DISABLED = 'The bot is disabled: enable it to send to it.';

/**
 * Batch send: one notification per bot, written in one transaction and delivered by the same queue as
 * menu reports, so the rate limits, retries and the delivery log apply to them as well.
 */
@Injectable()
export class BatchSendService {
  constructor(
    private readonly transactions: IdempotentTransactions,
    private readonly outbox: NotificationOutbox,
  ) {}

  /** With an Idempotency-Key, a retry within 24 hours answers this send again and queues nothing. */
  async send(
    user: AuthUser,
    request: BatchSendDto,
    idempotency?: IdempotentRequest,
  ): Promise<BatchSendResponse> {
    checkRequest(request);
    const msgType = request.msg_type ?? 'markdown';
    const title = request.title ?? firstLine(request.content);
    return this.transactions.run(idempotency, async (manager) => {
      const bots = await this.targets(manager.getRepository(DingTalkBot), user, request);
      const perBot = bots.map((bot) => {
        const noTarget = hasNoTarget(bot);
        if (!bot.isEnabled) return { bot, rows: [] as OutgoingNotification[] };
        // The mentions asked for that the bot's kind can make (mobiles for a webhook, userids for an app robot).
        const mentions = botKind(bot.botType).mentions({
          atMobiles: request.at_mobiles ?? [],
          atAll: false,
          atUserIds: request.at_user_ids ?? [],
        });
        // Cut for this bot's channels: a stream bot's group takes less than a webhook (messages/message-parts.ts).
        const parts = messageParts(bot, { msgType, title, text: request.content, ...mentions });
        const partOf = parts.length > 1 ? randomUUID() : null;
        const rows = parts.map((part): OutgoingNotification => ({
          botId: bot.id,
          storeId: bot.storeId,
          menuReportId: null,
          kind: 'batch',
          status: noTarget ? 'skipped' : 'pending',
          hint: noTarget ? DINGTALK_HINTS.noTarget : null,
          msgType,
          title: part.title,
          content: part.content,
          ...mentions,
          partOf,
        }));
        return { bot, rows };
      });
      // One write: the parts of a message get ascending ids, and the dispatcher sends a bot's rows in id order. Once
      // the transaction commits, the outbox wakes the dispatcher.
      const saved = await this.outbox.enqueue(
        manager,
        perBot.flatMap(({ rows }) => rows),
      );
      const idsOf = (botId: number) => saved.filter((row) => row.botId === botId).map((row) => row.id);
      const queued = saved.filter((row) => row.status === 'pending');
      const items = perBot.map(({ bot, rows }): BatchSendItem => ({
        bot_id: bot.id,
        notification_ids: idsOf(bot.id),
        status: rows.length > 0 && rows[0].status === 'pending' ? 'pending' : 'skipped',
        reason: rows.length > 0 ? rows[0].hint : DISABLED,
      }));
      return { response: { queued: queued.length, items } };
    });
  }

  private async targets(
    bots: Repository<DingTalkBot>,
    user: AuthUser,
    request: BatchSendDto,
  ): Promise<DingTalkBot[]> {
    if (request.store_id !== undefined) {
      assertCanWriteStore(user, request.store_id);
      return bots.find({ where: { storeId: request.store_id, isEnabled: true }, order: { id: 'ASC' } });
    }
    const ids = [...new Set(request.bot_ids ?? [])];
    const found = (await bots.find({ where: { id: In(ids) }, order: { id: 'ASC' } })).filter((bot) =>
      canAccessStore(user, bot.storeId),
    );
    const missing = ids.filter((id) => !found.some((bot) => bot.id === id));
    if (missing.length > 0) {
      throw new ValidationFailedException([
        { field: 'bot_ids', message: `no such bot: ${missing.join(', ')}` },
      ]);
    }
    return found;
  }
}

function checkRequest(request: BatchSendDto): void {
  const hasBots = request.bot_ids !== undefined;
  const hasStore = request.store_id !== undefined;
  if (hasBots === hasStore) {
    throw new ValidationFailedException([
      {
        field: 'bot_ids',
        message: hasBots ? 'give bot_ids or store_id, not both' : 'bot_ids or store_id is required',
      },
    ]);
  }
  if ((request.msg_type ?? 'markdown') === 'markdown' && request.title === undefined) {
    throw new ValidationFailedException([
      { field: 'title', message: 'title is required for a markdown message' },
    ]);
  }
}

/** A text message's title (kept in the delivery log): its first line, shortened. */
function firstLine(content: string): string {
  return content.split('\n', 1)[0].slice(0, 200);
}
