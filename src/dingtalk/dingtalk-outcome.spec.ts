import { describe, expect, it } from 'vitest';
import {
  classifyNewApiAnswer,
  classifyOldApiAnswer,
  classifyRobotSendAnswer,
  classifyWebhookAnswer,
} from './dingtalk-outcome';

const answer = (status: number, json: unknown) => ({ status, json, latencyMs: 5 });

describe('classifying DingTalk answers (docs/dingtalk/)', () => {
  it.each([
    [{ errcode: 0, errmsg: 'ok' }, 'ok'],
    [{ errcode: '0', errmsg: 'ok' }, 'ok'],
    [{ errcode: 410100, errmsg: 'send too fast' }, 'throttled'],
    [{ errcode: 130101, errmsg: 'send too fast' }, 'throttled'],
    [{ errcode: 660026, errmsg: 'too many' }, 'throttled'],
    [{ errcode: 310000, errmsg: 'sign not match' }, 'permanent'],
    [{ errcode: 300005, errmsg: 'token is not exist' }, 'permanent'],
    [{ errcode: -1, errmsg: 'system busy' }, 'transient'],
  ])('webhook %j → %s', (json, kind) => {
    expect(classifyWebhookAnswer(answer(200, json)).kind).toBe(kind);
  });

  it('treats a webhook 5xx or a non-JSON page as transient', () => {
    expect(classifyWebhookAnswer(answer(502, undefined)).kind).toBe('transient');
    expect(classifyWebhookAnswer(answer(200, undefined)).kind).toBe('transient');
  });

  it('old API: an expired token asks for a new one, a wrong agent_id is permanent', () => {
    expect(
      classifyOldApiAnswer(answer(200, { errcode: 88, sub_code: '40014', errmsg: 'invalid' })).kind,
    ).toBe('token_expired');
    expect(classifyOldApiAnswer(answer(200, { errcode: 42001, errmsg: 'expired' })).kind).toBe(
      'token_expired',
    );
  });

  it.each([
    [400, { code: 'InvalidAuthentication', message: 'token expired' }, 'token_expired'],
    [400, { code: 'AuthenticationFailed.MissingParameter', message: 'no token header' }, 'permanent'],
    [400, { code: 'invalidClientIdOrSecret', message: 'bad' }, 'permanent'],
    [400, { code: 'invalid.openConversationId', message: 'no group' }, 'permanent'],
    [400, { code: 'invalidParameter.robotCode.notExsit', message: 'robot not in group' }, 'permanent'],
    [403, { code: 'Forbidden.AccessDenied.QpsLimitForApi', message: 'qps' }, 'transient'],
    [500, { code: 'InternalError', message: 'boom' }, 'transient'],
  ])('new API %i %j → %s', (status, json, kind) => {
    expect(classifyNewApiAnswer(answer(status, json)).kind).toBe(kind);
  });

  it('a robot missing from the group is explained as such', () => {
    const outcome = classifyNewApiAnswer(
      answer(400, { code: 'invalidParameter.robotCode.notExsit', message: 'robot not in group' }),
    );
    expect(outcome.hint).toMatch(/added to the group/);
  });

  describe('robot sends: HTTP 200 that still names users who did not get it', () => {
    const sent = (flowControlled: string[], invalid: string[]) =>
      classifyRobotSendAnswer(
        answer(200, {
          processQueryKey: 'k',
          flowControlledStaffIdList: flowControlled,
          invalidStaffIdList: invalid,
        }),
      );

    it('is ok when both lists are empty (or absent, as for group messages)', () => {
      expect(sent([], []).kind).toBe('ok');
      expect(sent([], []).undelivered).toBeUndefined();
      expect(classifyRobotSendAnswer(answer(200, { processQueryKey: 'k' })).kind).toBe('ok');
    });

    it('retries throttled users (transient), naming them', () => {
      const outcome = sent(['busy1'], []);
      expect(outcome).toMatchObject({
        kind: 'transient',
        errcode: 'flowControlled',
        undelivered: { flowControlled: ['busy1'], invalid: [] },
      });
      expect(outcome.errmsg).toContain('busy1');
      expect(outcome.hint).toMatch(/busy1.*again later/);
    });

    it('fails on unknown users (permanent), naming both kinds', () => {
      const outcome = sent(['busy1'], ['ghost1']);
      expect(outcome).toMatchObject({
        kind: 'permanent',
        errcode: 'invalidStaffIdList',
        undelivered: { flowControlled: ['busy1'], invalid: ['ghost1'] },
      });
      expect(outcome.hint).toMatch(/ghost1.*busy1/s);
    });

    it('leaves a refusal a refusal', () => {
      expect(
        classifyRobotSendAnswer(answer(400, { code: 'invalidParameter.userIds.empty', message: 'x' })).kind,
      ).toBe('permanent');
    });
  });
});
