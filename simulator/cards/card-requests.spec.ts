import { describe, expect, it } from 'vitest';
import { readCreateRequest, readDeliverRequest, readOpenSpaceId, readUpdateRequest } from './card-requests';

const codeOf = (read: { ok: boolean; refusal?: { code: string } }) => (read.ok ? 'ok' : read.refusal?.code);

describe('card API request bodies (docs/dingtalk/cards.md)', () => {
  it('reads openSpaceId: the prefix, several spaces, the type in either case', () => {
    expect(readOpenSpaceId('dtv1.card//IM_GROUP.cidAbc==;im_robot.manager01;')).toEqual({
      ok: true,
      value: [
        { spaceType: 'IM_GROUP', spaceId: 'cidAbc==' },
        { spaceType: 'IM_ROBOT', spaceId: 'manager01' },
      ],
    });
    expect(codeOf(readOpenSpaceId(undefined))).toBe('param.openSpaceModelInvalid');
    expect(codeOf(readOpenSpaceId('dtv1.card//'))).toBe('param.openSpaceModelInvalid');
    expect(codeOf(readOpenSpaceId('IM_GROUP.cidAbc=='))).toBe('param.invalid');
    expect(codeOf(readOpenSpaceId('dtv1.card//IM_GROUP.'))).toBe('param.invalid');
    expect(codeOf(readOpenSpaceId('dtv1.card//TOP.cidAbc=='))).toBe('param.invalid');
  });

  it('creation: the space models given, callbackType, userIdType 1 only, private data of strings', () => {
    const body = {
      outTrackId: 't1',
      cardTemplateId: 'x.schema',
      cardData: { cardParamMap: { a: '1' } },
      imRobotOpenSpaceModel: {},
      callbackType: 'STREAM',
      privateData: { cook01: { cardParamMap: { mine: 'true' } } },
    };
    const read = readCreateRequest(body);
    expect(read.ok && [...read.value.spaceModels]).toEqual(['IM_ROBOT']);
    expect(read.ok && read.value.privateData.get('cook01')).toEqual({ mine: 'true' });
    expect(codeOf(readCreateRequest({ ...body, userIdType: 2 }))).toBe('param.invalid');
    expect(codeOf(readCreateRequest({ ...body, callbackType: 'HTTP' }))).toBe('param.invalid');
    expect(codeOf(readCreateRequest({ ...body, privateData: { cook01: { cardParamMap: { n: 1 } } } }))).toBe(
      'param.invalid',
    );
    expect(codeOf(readCreateRequest('not json'))).toBe('param.empty');
  });

  it('delivery: a group needs its deliver model with robotCode, a robot chat the model', () => {
    const group = { outTrackId: 't1', openSpaceId: 'dtv1.card//IM_GROUP.cid1' };
    expect(codeOf(readDeliverRequest(group))).toBe('param.openSpaceModelInvalid');
    expect(codeOf(readDeliverRequest({ ...group, imGroupOpenDeliverModel: { robotCode: 'ding1' } }))).toBe(
      'ok',
    );
    const robot = { outTrackId: 't1', openSpaceId: 'dtv1.card//IM_ROBOT.manager01' };
    expect(codeOf(readDeliverRequest(robot))).toBe('param.openSpaceModelInvalid');
    const read = readDeliverRequest({ ...robot, imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT' } });
    expect(read.ok && read.value.robotCodes).toEqual({ IM_ROBOT: null });
  });

  it('update: merging by key only when cardUpdateOptions says so', () => {
    const read = readUpdateRequest({ outTrackId: 't1', cardData: { cardParamMap: { status: 'ready' } } });
    expect(read.ok && read.value).toMatchObject({
      updateCardDataByKey: false,
      cardParamMap: { status: 'ready' },
    });
    expect(codeOf(readUpdateRequest({ cardData: {} }))).toBe('param.outTrackIdEmpty');
    expect(codeOf(readUpdateRequest({ outTrackId: 't1', cardData: { cardParamMap: 'x' } }))).toBe(
      'param.invalid',
    );
  });
});
