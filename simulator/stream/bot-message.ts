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
  /**
   * `text` (the default) or one of the other kinds staff can send (docs/dingtalk/stream-mode.md, Bot messages):
   * they carry `content` instead of `text`. `text` is then the file name, a picture's caption in a rich text, an
   * audio's recognised words.
   */
  msgtype?: StaffMessageType;
  /** A member of another organisation in the group: DingTalk sends no `senderStaffId` for them. */
  external?: boolean;
  text: string;
}

export const STAFF_MESSAGE_TYPES = ['text', 'picture', 'richText', 'audio', 'video', 'file'] as const;
export type StaffMessageType = (typeof STAFF_MESSAGE_TYPES)[number];

export const SIM_CORP_ID = 'ding5f3c0e0d1a2b3c4d';
/** The organisation an external member belongs to. */
const EXTERNAL_CORP_ID = 'ding9e8d7c6b5a4f3e2d';

/** The `text` or `content` part of a bot message of each type (docs/dingtalk/stream-mode.md, Bot messages). */
function messageBody(type: StaffMessageType, text: string, group: boolean) {
  const code = () => randomBytes(18).toString('base64url');
  switch (type) {
    case 'text':
      // In a group the text keeps the space left where the @mention of the bot was.
      return { text: { content: group ? ` ${text}` : text } };
    case 'picture':
      return { content: { downloadCode: code(), pictureDownloadCode: code() } };
    case 'richText':
      return {
        content: {
          richText: [{ text }, { pictureDownloadCode: code(), downloadCode: code(), type: 'picture' }],
        },
      };
    case 'audio':
      return { content: { downloadCode: code(), recognition: text, duration: 4000 } };
    case 'video':
      return { content: { duration: 8, videoType: 'mp4', downloadCode: code() } };
    case 'file':
      return {
        content: {
          spaceId: '21101',
          fileName: text,
          downloadCode: code(),
          fileId: randomBytes(8).toString('hex'),
        },
      };
  }
}

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
  /** The group's name (groups only): the registered group's, so that every message from it carries the same. */
  conversationTitle: string;
  session: SimSession;
  sessionWebhook: string;
  now: number;
}) {
  const { app, message, staffId, conversationId, session, now } = input;
  const chatbotUserId = encryptedId('bot', app.clientId);
  const group = message.conversationType === '2';
  const msgtype = message.msgtype ?? 'text';
  return {
    msgId: `msg${randomBytes(12).toString('base64')}`,
    msgtype,
    ...messageBody(msgtype, message.text, group),
    conversationId,
    conversationType: message.conversationType,
    ...(group ? { conversationTitle: input.conversationTitle } : {}),
    senderId: encryptedId('user', staffId),
    senderStaffId: message.external ? '' : staffId,
    senderNick: message.senderNick ?? (message.external ? '外部联系人' : `员工${staffId}`),
    senderCorpId: message.external ? EXTERNAL_CORP_ID : SIM_CORP_ID,
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
