import { RenderedCard } from '../cards/card-render';
import { SimConversation, SimMessage, SimulatorState } from '../core/simulator-state';
import { SimEventPush } from '../stream/stream-gateway';
import { renderMarkdown, renderPlainText } from './markdown';

/** One message as the page shows it: who sent it, when, and its body already rendered (and sanitised) as HTML. */
export interface PageMessage {
  id: number;
  from: string;
  /** A staff member's own message (right-aligned), as opposed to one from a robot or app. */
  mine: boolean;
  at: number;
  msgtype: string | null;
  title: string | null;
  html: string;
  /**
   * delivered, refused by the simulator (with the errcode), or accepted and silently dropped
   * (docs/dingtalk/work-notifications.md).
   */
  status: 'delivered' | 'refused' | 'dropped';
  note: string | null;
  /** An interactive card (docs/dingtalk/cards.md), shown with its buttons; its `id` is negative. */
  card?: PageCard;
}

/** A card as everyone in the conversation sees it now, with the buttons a member can click. */
export interface PageCard {
  out_track_id: string;
  /** The openConversationId or userid it was delivered to: a click names it. */
  space_id: string;
  /** Changes with every update, so the page redraws the card. */
  version: number;
  parts: Array<
    | { kind: 'text'; text: string; bold: boolean }
    | { kind: 'tag'; text: string }
    | { kind: 'markdown'; html: string }
  >;
  buttons: Array<{ text: string; action_id: string }>;
}

/** A card delivered to a conversation, placed among its messages at the time it was delivered. */
export interface PageCardEntry {
  id: number;
  conversationId: string;
  at: number;
  from: string;
  card: PageCard;
}

/** The page's view of a rendered card: markdown parts sanitised to HTML, request buttons only. */
export function pageCard(
  card: { outTrackId: string; version: number },
  spaceId: string,
  rendered: RenderedCard,
): PageCard {
  return {
    out_track_id: card.outTrackId,
    space_id: spaceId,
    version: card.version,
    parts: rendered.parts.map((part) =>
      part.kind === 'markdown' ? { kind: 'markdown', html: renderMarkdown(part.markdown) } : part,
    ),
    buttons: rendered.buttons
      .filter((button) => button.callsBack)
      .map((button) => ({ text: button.text, action_id: button.actionId })),
  };
}

/** A custom robot as its group's owner manages it on the page: switched on or off, and whether it checks 加签. */
export interface PageRobot {
  token: string;
  enabled: boolean;
  signed: boolean;
}

export interface PageConversation {
  key: string;
  kind: 'group' | 'user';
  title: string;
  subtitle: string;
  /**
   * For the box that writes to a Stream bot: the app, the conversation and its type (docs/dingtalk/stream-mode.md);
   * in a group, every app whose robot is in it (the box picks one) and the members it knows, who can be the sender.
   */
  write: {
    client_id: string;
    conversation_id: string;
    conversation_type: '1' | '2';
    client_ids: string[];
    members: string[];
  } | null;
  /** Only in a custom robot's group: what the page's buttons that break and mend it act on. */
  robot?: PageRobot;
  messages: PageMessage[];
}

/** An EVENT the gateway pushed (from the page or the control API), with what the client answered. */
export interface PageEvent {
  message_id: string;
  event_type: string;
  client_id: string;
  data: string;
  deliveries: number;
  /** `SUCCESS`, `LATER`, `none` (an ACK without a status) or null (no ACK yet). */
  ack_status: string | null;
  consumed: boolean;
}

/** An app and the groups its robot is in: one app can serve a whole chain's groups. */
export interface PageAppGroups {
  client_id: string;
  groups: Array<{ key: string; title: string }>;
}

export interface PageData {
  apps: string[];
  app_groups: PageAppGroups[];
  conversations: PageConversation[];
  /** The latest EVENT pushes, newest first. */
  events: PageEvent[];
}

const PAGE_EVENTS = 20;

const MARKDOWN_TYPES = new Set([
  'markdown',
  'actionCard',
  'action_card',
  'feedCard',
  'link',
  'oa',
  'sampleMarkdown',
  'sampleLink',
]);

function isMarkdown(message: SimMessage): boolean {
  return (
    message.msgtype !== null &&
    (MARKDOWN_TYPES.has(message.msgtype) || message.msgtype.startsWith('sampleActionCard'))
  );
}

function toPageMessage(message: SimMessage, from: string): PageMessage {
  const text = message.text ?? '';
  const refused = message.errcode !== 0 && message.errcode !== '0';
  return {
    id: message.id,
    from,
    mine: message.channel === 'staff',
    at: message.arrivedAt,
    msgtype: message.msgtype,
    title: message.title,
    html: isMarkdown(message) ? renderMarkdown(text) : renderPlainText(text),
    status: refused ? 'refused' : message.droppedCode !== undefined ? 'dropped' : 'delivered',
    note: refused
      ? `refused: ${message.errcode} ${message.errmsg}`
      : message.droppedCode !== undefined
        ? `accepted, but DingTalk would not show it (${message.droppedCode})`
        : null,
  };
}

/** A staff message's body is the bot message payload (docs/dingtalk/stream-mode.md), which names its sender. */
function senderNick(message: SimMessage): string {
  const nick = (message.body as { senderNick?: unknown } | null)?.senderNick;
  return typeof nick === 'string' && nick !== '' ? nick : 'staff';
}

function conversationOf(state: SimulatorState, message: SimMessage): string {
  // Session replies name their session; the session knows its conversation (docs/dingtalk/robot-messages.md).
  return message.channel === 'session'
    ? (state.sessions.get(message.target)?.conversationId ?? message.target)
    : message.target;
}

function cardMessage(entry: PageCardEntry): PageMessage {
  return {
    id: entry.id,
    from: entry.from,
    mine: false,
    at: entry.at,
    msgtype: 'interactiveCard',
    title: null,
    html: '',
    status: 'delivered',
    note: null,
    card: entry.card,
  };
}

function appChat(
  state: SimulatorState,
  conversation: SimConversation,
  cards: PageCardEntry[],
): PageConversation {
  const clientId = conversation.clientIds[0] ?? null;
  const member = conversation.members[0] ?? null;
  const messages = state.messages.filter((message) => {
    switch (message.channel) {
      case 'group':
      case 'session':
      case 'staff':
        return conversationOf(state, message) === conversation.id;
      case 'oto':
        return (
          conversation.type === 'single' &&
          message.target === member &&
          message.clientId !== null &&
          conversation.clientIds.includes(message.clientId)
        );
      case 'robot':
      case 'work_notification':
        return false;
    }
  });
  return {
    key: `conv:${conversation.id}`,
    kind: conversation.type === 'group' ? 'group' : 'user',
    title: conversation.type === 'group' ? conversation.title : `${member ?? '?'} ↔ ${clientId ?? 'robot'}`,
    subtitle:
      conversation.type === 'group'
        ? `group ${conversation.id} · robots: ${conversation.clientIds.join(', ') || 'none'}`
        : `one-to-one chat with the robot of ${clientId ?? '?'}`,
    write: clientId
      ? {
          client_id: clientId,
          conversation_id: conversation.id,
          conversation_type: conversation.type === 'group' ? '2' : '1',
          client_ids: conversation.clientIds,
          members: conversation.type === 'group' ? conversation.members : [],
        }
      : null,
    messages: [
      ...messages.map((message) =>
        toPageMessage(
          message,
          message.channel === 'staff' ? senderNick(message) : (message.clientId ?? 'robot'),
        ),
      ),
      ...cards.filter((entry) => entry.conversationId === conversation.id).map(cardMessage),
    ].sort((a, b) => a.at - b.at),
  };
}

/** Every simulated conversation with what arrived in it, groups first, as the web page at `/` shows them. */
export function buildPageData(
  state: SimulatorState,
  events: SimEventPush[] = [],
  cards: PageCardEntry[] = [],
): PageData {
  const conversations: PageConversation[] = [];
  for (const robot of state.robots.values()) {
    conversations.push({
      key: `robot:${robot.token}`,
      kind: 'group',
      title: robot.name,
      subtitle: `custom robot webhook${robot.secret ? ' · signed' : ''}${robot.keywords.length ? ` · keywords ${robot.keywords.join(', ')}` : ''}${robot.enabled ? '' : ' · 已停用 (disabled)'}`,
      write: null,
      // The secret itself stays out: the page shows a new one only to whoever reset it.
      robot: { token: robot.token, enabled: robot.enabled, signed: robot.secret !== null },
      messages: state
        .received({ channel: 'robot', target: robot.token })
        .map((message) => toPageMessage(message, robot.name)),
    });
  }
  const chats = [...state.conversations.values()].map((conversation) => appChat(state, conversation, cards));
  conversations.push(...chats.filter((chat) => chat.kind === 'group'));
  conversations.push(...chats.filter((chat) => chat.kind === 'user'));
  const workTargets = [
    ...new Set(state.received({ channel: 'work_notification' }).map((message) => message.target)),
  ];
  for (const target of workTargets) {
    conversations.push({
      key: `work:${target}`,
      kind: 'user',
      title: `工作通知 · ${target}`,
      subtitle: 'work notifications (asyncsend_v2)',
      write: null,
      messages: state
        .received({ channel: 'work_notification', target })
        .map((message) => toPageMessage(message, message.clientId ?? 'app')),
    });
  }
  return {
    apps: [...state.apps.keys()],
    app_groups: [...state.apps.keys()].map((clientId) => ({
      client_id: clientId,
      groups: state.groupsOf(clientId).map((group) => ({ key: `conv:${group.id}`, title: group.title })),
    })),
    conversations,
    events: events
      .slice(-PAGE_EVENTS)
      .reverse()
      .map((event) => ({
        message_id: event.messageId,
        event_type: event.eventType,
        client_id: event.clientId,
        data: event.data,
        deliveries: event.deliveries,
        ack_status: event.ackStatus,
        consumed: event.consumed,
      })),
  };
}
