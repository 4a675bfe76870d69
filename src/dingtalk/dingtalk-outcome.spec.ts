import { describe, expect, it } from 'vitest';
import { DingTalkNetworkError } from './dingtalk-http';
import { networkOutcome, retryAfterMs } from './dingtalk-outcome';
import { classifyNewApiAnswer, classifyRobotSendAnswer } from './new-api-answers';
import { classifyOldApiAnswer, classifyWebhookAnswer } from './old-api-answers';

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

  it.each([
    [400202, 'miss param : text->content'],
    [400402, '错误描述:参数 markdown --》 title 缺失，或者参数格式不正确; 解决方案:请填充上对应参数;'],
    [400403, 'miss param : markdown->text'],
    [40035, '缺少参数 json'],
  ])(
    'webhook %d (a message without a field DingTalk requires) is permanent: sending it again cannot help',
    (errcode, errmsg) => {
      expect(classifyWebhookAnswer(answer(200, { errcode, errmsg }))).toMatchObject({
        kind: 'permanent',
        errcode,
        errmsg,
        hint: expect.stringMatching(/a field it requires is empty or missing/),
      });
    },
  );

  it.each([
    ['network', 'Could not reach https://oapi.dingtalk.com (ECONNREFUSED)', /firewall or proxy/],
    ['timeout', 'https://oapi.dingtalk.com did not answer within 10 s', /DINGTALK_TIMEOUT_MS/],
    ['stopped', 'Stopped before https://oapi.dingtalk.com answered: the service is stopping', /tried again/],
  ] as const)(
    'a %s error: transient, its message in errmsg, the hint says what to check',
    (kind, message, hint) => {
      const outcome = networkOutcome(new DingTalkNetworkError(kind, message, 7));
      expect(outcome).toMatchObject({ kind: 'transient', errmsg: message, latencyMs: 7 });
      expect(outcome.hint).toMatch(hint);
      expect(outcome.hint).not.toContain(message);
      expect(outcome.hint).not.toContain('oapi.dingtalk.com');
    },
  );

  it('treats a webhook 5xx or a non-JSON answer that is no HTML page as transient', () => {
    expect(classifyWebhookAnswer(answer(502, undefined)).kind).toBe('transient');
    expect(classifyWebhookAnswer({ ...answer(502, undefined), html: true }).kind).toBe('transient');
    expect(classifyWebhookAnswer(answer(200, undefined)).kind).toBe('transient');
  });

  describe('limits (docs/dingtalk/README.md, "Call limits")', () => {
    const paused = (outcome: ReturnType<typeof classifyWebhookAnswer>) => [outcome.kind, outcome.pause];

    it('HTTP 429 throttles the robot for as long as Retry-After says (seconds or an HTTP date)', () => {
      expect(paused(classifyWebhookAnswer({ ...answer(429, undefined), retryAfter: '30' }))).toEqual([
        'throttled',
        { scope: 'robot', forMs: 30_000 },
      ]);
      expect(paused(classifyNewApiAnswer({ ...answer(429, undefined), html: true }))).toEqual([
        'throttled',
        { scope: 'robot', forMs: null },
      ]);
      expect(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(30_000);
      expect(retryAfterMs('soon')).toBeNull();
      expect(retryAfterMs(undefined)).toBeNull();
    });

    it("DingTalk's IP block pauses the whole cluster: an HTML page, or status 1111 with its wait in minutes", () => {
      expect(paused(classifyWebhookAnswer({ ...answer(200, undefined), html: true }))).toEqual([
        'throttled',
        { scope: 'cluster', forMs: null },
      ]);
      expect(
        paused(classifyOldApiAnswer({ ...answer(403, undefined), html: true, retryAfter: '60' })),
      ).toEqual(['throttled', { scope: 'cluster', forMs: 60_000 }]);
      expect(
        paused(classifyNewApiAnswer(answer(200, { status: 1111, wait: 5, source: 'x5', punish: 'deny' }))),
      ).toEqual(['throttled', { scope: 'cluster', forMs: 300_000 }]);
      expect(paused(classifyOldApiAnswer(answer(200, { errcode: 90006, errmsg: 'ip limit' })))).toEqual([
        'throttled',
        { scope: 'cluster', forMs: null },
      ]);
    });

    it("the organisation's monthly quota pauses the app (90020, Forbidden.AccessDenied.ApiCountLimitForOrg)", () => {
      const old = classifyOldApiAnswer(
        answer(200, {
          errcode: 90020,
          errmsg: '您的企业本月api调用量已超过限制,调用量:10001次,额度:10000次',
        }),
      );
      expect(paused(old)).toEqual(['throttled', { scope: 'app', forMs: null }]);
      expect(old.hint).toMatch(/quota/);
      expect(
        paused(
          classifyNewApiAnswer(
            answer(403, { code: 'Forbidden.AccessDenied.ApiCountLimitForOrg', message: 'q' }),
          ),
        ),
      ).toEqual(['throttled', { scope: 'app', forMs: null }]);
    });
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
