import { createHash, randomBytes } from 'node:crypto';
import { SimApp, SimSession } from '../core/simulator-state';

/** What a staff member writes to a stream bot (control API `POST /_sim/stream/bot-messages`). */
export interface StaffMessageInput {
  clientId: string;
  /** '1' one-to-one, '2' group (docs/dingtalk/stream-mode.md). */
  conversationType: '1' | '2';
  conversationId?: string;
  conversationTitle?: string;
  senderStaffId?: string;
  senderNick?: string;
  text: string;
}

export const SIM_CORP_ID = 'ding5f3c0e0d1a2b3c4d';

/** Stable fake of DingTalk's encrypted ids (`$:LWCP_v1:$…`): the same input always gives the same id. */
export function encryptedId(...parts: string[]): string {
  return `$:LWCP_v1:$${createHash('sha256').update(parts.join('|')).digest('base64').slice(0, 32)}`;
}

/** A group named by its title gets the same id every time (one-to-one chats are found by the registry). */
export function conversationIdFor(input: StaffMessageInput, staffId: string): string {
  if (input.conversationId) return input.conversationId;
  const seed = `${input.conversationType}|${input.clientId}|${input.conversationTitle ?? staffId}`;
  return `cid${createHash('sha256').update(seed).digest('base64url').slice(0, 22)}==`;
}

/**
 * The `data` of a bot-message CALLBACK frame with every field DingTalk sends (docs/dingtalk/stream-mode.md). In a group
 * the bot is @mentioned (DingTalk delivers group messages only then), so `isInAtList` is true and `atUsers` names the
 * bot.
 */
export function botMessageData(input: {
  app: SimApp;
  message: StaffMessageInput;
  staffId: string;
  conversationId: string;
  session: SimSession;
  sessionWebhook: string;
  now: number;
}) {
  const { app, message, staffId, conversationId, session, now } = input;
  const chatbotUserId = encryptedId('bot', app.clientId);
  const group = message.conversationType === '2';
  return {
    msgId: `msg${randomBytes(12).toString('base64')}`,
    msgtype: 'text',
    text: { content: group ? ` ${message.text}` : message.text },
    conversationId,
    conversationType: message.conversationType,
    ...(group ? { conversationTitle: message.conversationTitle ?? '门店群' } : {}),
    senderId: encryptedId('user', staffId),
    senderStaffId: staffId,
    senderNick: message.senderNick ?? `员工${staffId}`,
    senderCorpId: SIM_CORP_ID,
    senderPlatform: 'Win',
    isAdmin: false,
    chatbotUserId,
    chatbotCorpId: SIM_CORP_ID,
    robotCode: app.robotCode,
    isInAtList: group,
    atUsers: group ? [{ dingtalkId: chatbotUserId }] : [],
    sessionWebhook: input.sessionWebhook,
    sessionWebhookExpiredTime: session.expiresAt,
    createAt: now,
  };
}
