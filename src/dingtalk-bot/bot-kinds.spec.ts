import { describe, expect, it } from 'vitest';
import {
  botKind,
  botKinds,
  BOT_TYPES,
  connectedKinds,
  isBotType,
  kindsUsing,
  registerBotKind,
} from './bot-kinds';
import { streamKind } from './kinds/stream/stream.kind';
import { webhookKind } from './kinds/webhook/webhook.kind';

describe('the kinds of bot (bot-kinds.ts)', () => {
  it('are webhook and stream, each with its own settings, and only stream keeps a connection', () => {
    expect(BOT_TYPES).toEqual(['webhook', 'stream']);
    expect(botKinds()).toEqual([webhookKind, streamKind]);
    expect(connectedKinds()).toEqual(['stream']);
    expect(kindsUsing('secret')).toEqual(['webhook']);
    expect(kindsUsing('client_id')).toEqual(['stream']);
    const shared = webhookKind.settings.filter((setting) => streamKind.settings.includes(setting));
    expect(shared).toEqual([]);
  });

  it('refuses a second kind of one type, and answers an unknown type as a defect', () => {
    expect(() => registerBotKind({ ...webhookKind })).toThrow("A bot kind 'webhook' is registered already");
    expect(isBotType('fax')).toBe(false);
    expect(isBotType(1)).toBe(false);
    expect(() => botKind('fax')).toThrow("No bot kind 'fax' is registered");
  });

  it('makes the mentions its robots can: mobiles and everyone for a webhook, userids for an app robot', () => {
    const asked = { atMobiles: ['13800000000'], atAll: true, atUserIds: ['manager1'] };
    expect(webhookKind.mentions(asked)).toEqual({ atMobiles: ['13800000000'], atAll: true, atUserIds: [] });
    expect(streamKind.mentions(asked)).toEqual({ atMobiles: [], atAll: false, atUserIds: ['manager1'] });
  });

  it("sends through a webhook always, through a stream bot's users and group as far as it has them", () => {
    const none = { userIds: [], openConversationId: null };
    expect(webhookKind.channels(none)).toEqual(['webhook']);
    expect(streamKind.channels(none)).toEqual([]);
    expect(streamKind.channels({ userIds: ['u1'], openConversationId: 'cidA' })).toEqual([
      'work_notification',
      'group_message',
    ]);
  });
});
