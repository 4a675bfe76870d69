import { describe, expect, it } from 'vitest';
import { CardSpace, classifyCardAnswer, deliveryOutcome, readDeliveries } from './card-answers';
import { HttpAnswer } from './dingtalk-http';
import { ok } from './dingtalk-outcome';

const answer = (status: number, json: unknown): HttpAnswer => ({ status, json, latencyMs: 5 });
const GROUP: CardSpace = { spaceType: 'IM_GROUP', spaceId: 'cidKitchen==' };
const USER: CardSpace = { spaceType: 'IM_ROBOT', spaceId: 'manager01' };

describe('card API answers (docs/dingtalk/cards.md)', () => {
  it("makes the card API's param.* refusals permanent, with what to fix", () => {
    const unpublished = classifyCardAnswer(
      answer(400, { code: 'param.templateUnpublished', message: 'param.templateUnpublished' }),
    );
    expect(unpublished).toMatchObject({ kind: 'permanent', errcode: 'param.templateUnpublished' });
    expect(unpublished.hint).toMatch(/publish the template.*card_template_id/);
    expect(classifyCardAnswer(answer(400, { code: 'param.outTrackIdEmpty', message: 'x' })).kind).toBe(
      'permanent',
    );
  });

  it("retries DingTalk's own failures and an HTTP 200 saying success: false", () => {
    expect(classifyCardAnswer(answer(500, { code: 'system.error', message: 'x' })).kind).toBe('transient');
    expect(classifyCardAnswer(answer(400, { code: 'unknownError', message: 'x' })).kind).toBe('transient');
    expect(classifyCardAnswer(answer(200, { success: false })).kind).toBe('transient');
    expect(classifyCardAnswer(answer(200, { success: true, result: 'x' })).kind).toBe('ok');
  });

  it('judges every space asked for: a failed entry inside an HTTP 200, a missing one, any case of the type', () => {
    const deliveries = readDeliveries(
      [
        { spaceType: 'im_group', spaceId: 'cidKitchen==', success: true, carrierId: 'c1' },
        { spaceType: 'IM_ROBOT', spaceId: 'someone', success: false, errorMsg: '用户不存在' },
      ],
      [GROUP, USER],
    );
    expect(deliveries).toEqual([
      { space: GROUP, delivered: true, error: null },
      { space: USER, delivered: false, error: 'DingTalk answered no result for this space' },
    ]);
  });

  it('is ok only when every space has the card; a missing robot or group is permanent, the rest retried', () => {
    const call = ok(answer(200, {}));
    expect(deliveryOutcome(call, [{ space: GROUP, delivered: true, error: null }]).kind).toBe('ok');
    const notInGroup = deliveryOutcome(call, [
      { space: GROUP, delivered: false, error: '机器人不存在,请检查机器人是否在群内' },
    ]);
    expect(notInGroup).toMatchObject({ kind: 'permanent', errcode: 'deliverResults' });
    expect(notInGroup.errmsg).toMatch(/IM_GROUP\.cidKitchen==/);
    expect(notInGroup.hint).toMatch(/robot is in it/);
    expect(deliveryOutcome(call, [{ space: GROUP, delivered: false, error: 'failed' }]).kind).toBe(
      'transient',
    );
  });
});
