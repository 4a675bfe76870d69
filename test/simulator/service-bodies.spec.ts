import { describe, expect, it } from 'vitest';
import {
  groupMessageBody,
  oneToOneMessageBody,
  webhookBody,
  workNotificationBody,
} from '../../src/dingtalk/message-bodies';
import { actionCardText, OutgoingMessage } from '../../src/dingtalk/outgoing-message';
import { checkRobotMsgParam } from '../../simulator/apps/robot-msg-param';
import { checkWorkNotificationMsg } from '../../simulator/apps/work-notification-msg';
import { checkCustomRobotBody } from '../../simulator/robots/custom-robot-body';

// The service's bodies held to the simulator's checks of each API family, one by one: every kind of message the
// service composes must be one DingTalk takes.
const MESSAGES: Array<[name: string, message: OutgoingMessage]> = [
  ['text', { msgType: 'text', title: '', text: '报菜通知：宫保鸡丁 50 份' }],
  ['markdown', { msgType: 'markdown', title: '报菜通知', text: '#### 午餐\n- 宫保鸡丁 50 份' }],
  [
    'markdown with mentions',
    {
      msgType: 'markdown',
      title: '报菜通知',
      text: '#### 午餐',
      atMobiles: ['13800000000'],
      atUserIds: ['cook1'],
    },
  ],
  ['text to everyone', { msgType: 'text', title: '', text: '开门了', atAll: true }],
];

describe("the service's message bodies pass the simulator's checks of DingTalk's rules", () => {
  it.each(MESSAGES)('custom robot and sendBySession: %s', (_name, message) => {
    expect(checkCustomRobotBody(webhookBody(message))).toMatchObject({ ok: true });
  });

  it.each(MESSAGES)('work notification: %s', (_name, message) => {
    expect(checkWorkNotificationMsg(workNotificationBody('3001', ['u1'], message).msg)).toMatchObject({
      ok: true,
    });
  });

  it.each(MESSAGES)('robot group and one-to-one messages: %s', (_name, message) => {
    for (const body of [
      groupMessageBody('dingstore', 'cid==', message),
      oneToOneMessageBody('dingstore', ['u1'], message),
    ]) {
      expect(checkRobotMsgParam(body.msgKey, body.msgParam)).toMatchObject({ ok: true });
    }
  });

  it('custom robot: an ActionCard of link buttons (a report to confirm), with its casing', () => {
    const body = webhookBody({
      msgType: 'actionCard',
      title: '报菜通知：宫保鸡丁 8 份',
      text: actionCardText({
        text: '#### 报菜通知\n- 宫保鸡丁 8 份',
        btnOrientation: '1',
        btns: [
          { title: '收到', actionURL: 'https://notify.example.com/c/abc' },
          { title: '已备好', actionURL: 'https://notify.example.com/c/abd' },
        ],
      }),
      atMobiles: ['13800000000'],
    });
    expect(checkCustomRobotBody(body)).toMatchObject({ ok: true });
    expect(body).toEqual({
      msgtype: 'actionCard',
      actionCard: {
        title: '报菜通知：宫保鸡丁 8 份',
        text: '#### 报菜通知\n- 宫保鸡丁 8 份',
        btnOrientation: '1',
        btns: [
          { title: '收到', actionURL: 'https://notify.example.com/c/abc' },
          { title: '已备好', actionURL: 'https://notify.example.com/c/abd' },
        ],
      },
    });
  });
});
