import { describe, expect, it } from 'vitest';
import { notificationIdOf, parseCardClick } from './card-click';

const data = (fields: Record<string, unknown>) =>
  JSON.stringify({
    outTrackId: 'notification-42',
    userId: 'cook02',
    type: 'actionCallback',
    spaceType: 'IM_GROUP',
    spaceId: 'cidKitchen==',
    content: JSON.stringify({ cardPrivateData: { actionIds: ['received'], params: { action: 'received' } } }),
    ...fields,
  });

describe('card callbacks (docs/dingtalk/cards.md, Callbacks)', () => {
  it('reads the action id from content, a JSON string inside data', () => {
    expect(parseCardClick(data({}))).toEqual({
      ok: true,
      click: {
        outTrackId: 'notification-42',
        userId: 'cook02',
        action: 'received',
        spaceType: 'IM_GROUP',
        spaceId: 'cidKitchen==',
      },
    });
    const byParams = data({ content: JSON.stringify({ cardPrivateData: { params: { action: 'ready' } } }) });
    expect(parseCardClick(byParams)).toMatchObject({ ok: true, click: { action: 'ready' } });
  });

  it('gives a reason, never an exception, for what is not a press', () => {
    expect(parseCardClick('not json')).toEqual({ ok: false, problem: 'data is not a JSON object' });
    expect(parseCardClick(data({ userId: '' }))).toMatchObject({ ok: false, problem: 'no userId' });
    expect(parseCardClick(data({ content: '{' }))).toMatchObject({ ok: false });
    expect(parseCardClick(data({ type: 'other' }))).toMatchObject({ ok: false });
  });

  it("knows its own cards' outTrackIds only", () => {
    expect(notificationIdOf('notification-42')).toBe('42');
    expect(notificationIdOf('report-1042-notification-7')).toBeNull();
    expect(notificationIdOf('notification-')).toBeNull();
  });
});
