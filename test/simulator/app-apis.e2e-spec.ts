import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifyNewApiAnswer } from '../../src/dingtalk/new-api-answers';
import { classifyOldApiAnswer } from '../../src/dingtalk/old-api-answers';
import { groupMessageBody, workNotificationBody } from '../../src/dingtalk/message-bodies';
import { SimApp } from '../../simulator/core/simulator-state';
import { startSimulator, Simulator } from '../../simulator/simulator';
import { ManualClock } from '../support/clocks';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Answer {
  status: number;
  json: Json;
}

describe('simulator: app tokens and sending as an app', () => {
  const clock = new ManualClock();
  let sim: Simulator;
  let app: SimApp;

  async function call(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; form?: boolean } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = options.form ? 'application/x-www-form-urlencoded' : 'application/json';
      body = options.form
        ? new URLSearchParams(options.body as Record<string, string>).toString()
        : JSON.stringify(options.body);
    }
    const response = await fetch(`${sim.url}${path}`, { method, headers, body });
    return { status: response.status, json: (await response.json()) as Json };
  }
  const classifyOld = (answer: Answer) => classifyOldApiAnswer({ ...answer, latencyMs: 0 });
  const classifyNew = (answer: Answer) => classifyNewApiAnswer({ ...answer, latencyMs: 0 });

  const oldToken = async (target = app) =>
    (await call('GET', `/gettoken?appkey=${target.clientId}&appsecret=${target.clientSecret}`)).json
      .access_token as string;
  const sendWork = (token: string, body: unknown, form = false) =>
    call('POST', `/topapi/message/corpconversation/asyncsend_v2?access_token=${token}`, { body, form });
  const sendGroup = (token: string, body: unknown) =>
    call('POST', '/v1.0/robot/groupMessages/send', {
      body,
      headers: { 'x-acs-dingtalk-access-token': token },
    });
  const sendOto = (token: string, body: unknown) =>
    call('POST', '/v1.0/robot/oToMessages/batchSend', {
      body,
      headers: { 'x-acs-dingtalk-access-token': token },
    });
  const markdown = { msgType: 'markdown' as const, title: '今日报菜', text: '#### 午餐\n- 宫保鸡丁' };

  beforeAll(async () => {
    sim = await startSimulator({ clock });
  });
  beforeEach(() => {
    sim.state.reset();
    app = sim.state.registerApp({
      clientId: 'dingstore',
      clientSecret: 'secret-1',
      agentId: '3001',
      tokenTtlSeconds: 7200,
    });
  });
  afterAll(() => sim.close());

  describe('tokens (docs/dingtalk/access-tokens.md)', () => {
    it('hands out one token on both APIs, the same while valid, with its life extended on each fetch', async () => {
      const first = await call('GET', '/gettoken?appkey=dingstore&appsecret=secret-1');
      expect(first).toEqual({
        status: 200,
        json: { errcode: 0, access_token: expect.any(String), errmsg: 'ok', expires_in: 7200 },
      });
      await clock.advance(3600_000);
      const second = await call('POST', '/v1.0/oauth2/accessToken', {
        body: { appKey: 'dingstore', appSecret: 'secret-1' },
      });
      expect(second.status).toBe(200);
      expect(second.json).toMatchObject({ accessToken: first.json.access_token, expireIn: 7200 });
    });

    it('issues a new token once the old one expired, and the send APIs refuse the old one as documented', async () => {
      const short = sim.state.registerApp({
        clientId: 'dingshort',
        clientSecret: 's',
        agentId: '77',
        tokenTtlSeconds: 60,
      });
      sim.state.ensureConversation({ id: 'cidGroup==', clientId: short.clientId });
      const token = await oldToken(short);
      await clock.advance(60_000);

      const work = await sendWork(token, workNotificationBody('77', ['u1'], markdown));
      expect(work.json).toMatchObject({ errcode: 88, sub_code: '40014' });
      expect(classifyOld(work).kind).toBe('token_expired');

      const group = await sendGroup(token, groupMessageBody(short.robotCode, 'cidGroup==', markdown));
      expect(group).toMatchObject({ status: 400, json: { code: 'InvalidAuthentication' } });
      expect(classifyNew(group).kind).toBe('token_expired');

      const fresh = await oldToken(short);
      expect(fresh).not.toBe(token);
      expect((await sendWork(fresh, workNotificationBody('77', ['u1'], markdown))).json.errcode).toBe(0);
    });

    it('answers bad credentials exactly as documented', async () => {
      const old = await call('GET', '/gettoken?appkey=dingstore&appsecret=wrong');
      expect(old).toEqual({ status: 200, json: { errcode: 40096, errmsg: '不合法的appKey或appSecret' } });
      expect(classifyOld(old)).toMatchObject({
        kind: 'permanent',
        hint: expect.stringMatching(/client_secret/),
      });
      expect((await call('GET', '/gettoken')).json).toEqual({
        errcode: 40035,
        errmsg: '缺少参数 corpid or appkey',
      });

      const fresh = await call('POST', '/v1.0/oauth2/accessToken', {
        body: { appKey: 'nobody', appSecret: 'x' },
      });
      expect(fresh).toMatchObject({
        status: 400,
        json: {
          code: 'invalidClientIdOrSecret',
          message: '无效的clientId或者clientSecret',
          requestid: expect.any(String),
        },
      });
      expect(classifyNew(fresh).kind).toBe('permanent');
    });

    it('wants the new-API token in the x-acs-dingtalk-access-token header only', async () => {
      const token = await oldToken();
      sim.state.ensureConversation({ id: 'cidG==', clientId: app.clientId });
      const body = groupMessageBody(app.robotCode, 'cidG==', markdown);
      const bearer = await call('POST', '/v1.0/robot/groupMessages/send', {
        body,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(bearer).toMatchObject({ status: 400, json: { code: 'AuthenticationFailed.MissingParameter' } });
      const unknown = await sendGroup('not-a-token', body);
      expect(unknown.json.code).toBe('InvalidAuthentication');
    });
  });

  describe('work notifications (docs/dingtalk/work-notifications.md)', () => {
    it('records the service body per user with a task_id, decoded for display', async () => {
      const token = await oldToken();
      const answer = await sendWork(token, workNotificationBody('3001', ['u1', 'u2'], markdown));
      expect(answer.json).toEqual({
        errcode: 0,
        task_id: expect.any(Number),
        request_id: expect.any(String),
      });
      expect(classifyOld(answer).kind).toBe('ok');
      const received = sim.state.received({ channel: 'work_notification' });
      expect(received.map((message) => message.target)).toEqual(['u1', 'u2']);
      expect(received[0]).toMatchObject({
        clientId: 'dingstore',
        msgtype: 'markdown',
        title: '今日报菜',
        text: '#### 午餐\n- 宫保鸡丁',
        taskId: answer.json.task_id,
      });
    });

    it('accepts the form body of the official curl examples, msg as a JSON string', async () => {
      const token = await oldToken();
      const msg = JSON.stringify({ msgtype: 'text', text: { content: '月会通知' } });
      const answer = await sendWork(token, { agent_id: '3001', userid_list: 'u9', msg }, true);
      expect(answer.json.errcode).toBe(0);
      expect(sim.state.received({ target: 'u9' })[0]).toMatchObject({ msgtype: 'text', text: '月会通知' });
    });

    it('checks agent_id, the recipients and msg', async () => {
      const token = await oldToken();
      const msg = { msgtype: 'text', text: { content: 'x' } };
      const wrongAgent = await sendWork(token, { agent_id: 9, userid_list: 'u1', msg });
      expect(wrongAgent.json).toMatchObject({ errcode: 40035, errmsg: expect.stringContaining('agent_id') });
      expect(classifyOld(wrongAgent).hint).toMatch(/agent_id/);
      expect((await sendWork(token, { agent_id: 3001, msg })).json.errcode).toBe(40035);
      expect((await sendWork(token, { agent_id: 3001, userid_list: ['u1'], msg })).json.errcode).toBe(40035);
      const tooMany = Array.from({ length: 101 }, (_, i) => `u${i}`).join(',');
      expect((await sendWork(token, { agent_id: 3001, userid_list: tooMany, msg })).json.errcode).toBe(40035);
      const answerTo = async (badMsg: object) =>
        (await sendWork(token, { agent_id: 3001, userid_list: 'u1', msg: badMsg })).json;
      const noTitle = { msgtype: 'markdown', markdown: { text: 'x' } };
      expect(await answerTo(noTitle)).toMatchObject({
        errcode: 40035,
        errmsg: '缺少参数 msg.markdown.title',
      });
      const noButton = { msgtype: 'action_card', action_card: { title: '报菜', markdown: '#### 午餐' } };
      expect(await answerTo(noButton)).toMatchObject({
        errcode: 40035,
        errmsg: '缺少参数 msg.action_card.single_title',
      });
      const robotsCasing = { msgtype: 'actionCard', actionCard: { title: '报菜', text: '#### 午餐' } };
      expect(await answerTo(robotsCasing)).toMatchObject({
        errcode: 40035,
        errmsg: '不合法的参数 msg.msgtype',
      });
      expect((await sendWork(token, { agent_id: 3001, to_all_user: true, msg })).json.errcode).toBe(0);
      expect(sim.state.received({ channel: 'work_notification' }).map((message) => message.target)).toEqual([
        'all_users',
      ]);
    });

    it('silently drops the same content to the same user on the same day, and getsendresult says so', async () => {
      const token = await oldToken();
      const first = await sendWork(token, workNotificationBody('3001', ['u1'], markdown));
      const again = await sendWork(token, workNotificationBody('3001', ['u1', 'u2'], markdown));
      expect(again.json.errcode).toBe(0);
      const result = await call(
        'POST',
        `/topapi/message/corpconversation/getsendresult?access_token=${token}`,
        {
          body: { agent_id: 3001, task_id: again.json.task_id },
        },
      );
      expect(result.json.send_result).toMatchObject({
        forbidden_user_id_list: ['u1'],
        unread_user_id_list: ['u2'],
        forbidden_list: [{ code: '143106', count: 1, userid: 'u1' }],
      });
      const firstResult = await call(
        'POST',
        `/topapi/message/corpconversation/getsendresult?access_token=${token}`,
        {
          body: { agent_id: 3001, task_id: first.json.task_id },
        },
      );
      expect(firstResult.json.send_result.forbidden_list).toEqual([]);
    });

    it('lists invalid and failed users as the app marks them, and nobody while the task is being processed', async () => {
      const patched = await call('PATCH', `/_sim/apps/${app.clientId}`, {
        body: { invalid_user_ids: ['ghost'], failed_user_ids: ['flaky'], send_result_delay_ms: 1000 },
      });
      expect(patched.json).toMatchObject({ failed_user_ids: ['flaky'], send_result_delay_ms: 1000 });
      const token = await oldToken();
      const sent = await sendWork(token, workNotificationBody('3001', ['u1', 'ghost', 'flaky'], markdown));
      expect(sent.json.errcode).toBe(0);
      const result = () =>
        call('POST', `/topapi/message/corpconversation/getsendresult?access_token=${token}`, {
          body: { agent_id: 3001, task_id: sent.json.task_id },
        });
      const empty = {
        invalid_user_id_list: [],
        forbidden_user_id_list: [],
        failed_user_id_list: [],
        unread_user_id_list: [],
        forbidden_list: [],
      };
      expect((await result()).json.send_result).toMatchObject(empty);
      await clock.advance(1000);
      expect((await result()).json.send_result).toMatchObject({
        ...empty,
        invalid_user_id_list: ['ghost'],
        failed_user_id_list: ['flaky'],
        unread_user_id_list: ['u1'],
      });
    });
  });

  describe('robot group and one-to-one messages (docs/dingtalk/robot-messages.md)', () => {
    it('records a group message decoded from msgKey/msgParam', async () => {
      const token = await oldToken();
      sim.state.ensureConversation({ id: 'cidStore1==', title: '门店一群', clientId: app.clientId });
      const answer = await sendGroup(token, groupMessageBody(app.robotCode, 'cidStore1==', markdown));
      expect(answer).toEqual({ status: 200, json: { processQueryKey: expect.any(String) } });
      const text = groupMessageBody(app.robotCode, 'cidStore1==', {
        msgType: 'text',
        title: '',
        text: '开门了',
      });
      expect((await sendGroup(token, text)).status).toBe(200);
      expect(sim.state.received({ channel: 'group', target: 'cidStore1==' })).toEqual([
        expect.objectContaining({
          msgtype: 'sampleMarkdown',
          title: '今日报菜',
          text: '#### 午餐\n- 宫保鸡丁',
        }),
        expect.objectContaining({ msgtype: 'sampleText', title: null, text: '开门了' }),
      ]);
    });

    it('refuses unknown conversations, robots not in the group, other apps, and bad msgKey/msgParam', async () => {
      const token = await oldToken();
      const other = sim.state.registerApp({ clientId: 'dingother' });
      sim.state.ensureConversation({ id: 'cidMine==', clientId: app.clientId });
      sim.state.ensureConversation({ id: 'cidTheirs==', clientId: other.clientId });
      const base = {
        robotCode: app.robotCode,
        openConversationId: 'cidMine==',
        msgKey: 'sampleText',
        msgParam: '{"content":"x"}',
      };
      const expectCode = async (body: object, code: string) => {
        const answer = await sendGroup(token, { ...base, ...body });
        expect(answer).toMatchObject({
          status: 400,
          json: { code, message: expect.any(String), requestid: expect.any(String) },
        });
        return classifyNew(answer);
      };
      expect(
        (await expectCode({ openConversationId: 'cidNope==' }, 'invalid.openConversationId')).hint,
      ).toMatch(/open_conversation_id/);
      await expectCode({ openConversationId: 'cidTheirs==' }, 'invalidParameter.robotCode.notExsit');
      await expectCode({ robotCode: other.robotCode }, 'invalidParameter.robotCode.auth');
      await expectCode({ robotCode: 'dingghost' }, 'invalidParameter.robotCode.notExsit');
      await expectCode({ robotCode: '' }, 'invalidParameter.robotCode.empty');
      await expectCode({ msgKey: '' }, 'invalidParameter.msgKey.empty');
      await expectCode({ msgKey: 'sampleActionCard1' }, 'invalidParameter.msgKey.invalid');
      await expectCode(
        { msgParam: { content: 'an object, not a string' } },
        'invalidParameter.msgParam.invalid',
      );
      await expectCode({ msgParam: '{"text":"no content key"}' }, 'invalidParameter.param.invalid');
      // Keys in their exact casing, and as many buttons as the msgKey names.
      await expectCode(
        { msgKey: 'sampleImageMsg', msgParam: '{"photoUrl":"https://e.com/p.png"}' },
        'invalidParameter.param.invalid',
      );
      const twoButtons = { title: 't', text: 'x', actionTitle1: 'A', actionURL1: 'https://e.com/a' };
      await expectCode(
        {
          msgKey: 'sampleActionCard3',
          msgParam: JSON.stringify({ ...twoButtons, actionTitle2: 'B', actionURL2: 'https://e.com/b' }),
        },
        'invalidParameter.param.invalid',
      );
      const big = JSON.stringify({ content: '好'.repeat(5_000) });
      expect((await expectCode({ msgParam: big }, 'invalidParameter.msgParam.invalid')).kind).toBe(
        'permanent',
      );
      expect(sim.state.received({ channel: 'group' })).toEqual([]);
    });

    it('sends one-to-one to at most 20 users and records one message per user', async () => {
      const token = await oldToken();
      const body = {
        robotCode: app.robotCode,
        msgKey: 'sampleMarkdown',
        msgParam: JSON.stringify({ title: 't', text: '**hi**' }),
      };
      const answer = await sendOto(token, { ...body, userIds: ['manager1', 'cook2'] });
      expect(answer).toEqual({
        status: 200,
        json: { processQueryKey: expect.any(String), invalidStaffIdList: [], flowControlledStaffIdList: [] },
      });
      expect(sim.state.received({ channel: 'oto' }).map((message) => message.target)).toEqual([
        'manager1',
        'cook2',
      ]);
      const many = Array.from({ length: 21 }, (_, i) => `u${i}`);
      expect((await sendOto(token, { ...body, userIds: many })).json.code).toBe(
        'invalidParameter.userIds.overMax',
      );
      expect((await sendOto(token, { ...body, userIds: [] })).json.code).toBe(
        'invalidParameter.userIds.empty',
      );
    });

    it('answers HTTP 200 yet lists flow-controlled and invalid users, as configured per app and user', async () => {
      const token = await oldToken();
      const body = {
        robotCode: app.robotCode,
        msgKey: 'sampleText',
        msgParam: JSON.stringify({ content: '今日报菜' }),
      };
      const configured = await call('PATCH', `/_sim/apps/${app.clientId}`, {
        body: { flow_controlled_user_ids: ['busy1'], invalid_user_ids: ['ghost1'] },
      });
      expect(configured.json).toMatchObject({
        flow_controlled_user_ids: ['busy1'],
        invalid_user_ids: ['ghost1'],
        flow_control_all: false,
      });
      const answer = await sendOto(token, { ...body, userIds: ['manager1', 'busy1', 'ghost1'] });
      expect(answer).toEqual({
        status: 200,
        json: {
          processQueryKey: expect.any(String),
          invalidStaffIdList: ['ghost1'],
          flowControlledStaffIdList: ['busy1'],
        },
      });
      expect(
        sim.state.received({ channel: 'oto' }).map((message) => [message.target, message.droppedCode]),
      ).toEqual([
        ['manager1', undefined],
        ['busy1', 'flowControlled'],
        ['ghost1', 'invalidStaffId'],
      ]);

      // The whole app throttled, then the throttle lifted: the same user gets the next one.
      await call('PATCH', `/_sim/apps/${app.clientId}`, { body: { flow_control_all: true } });
      expect((await sendOto(token, { ...body, userIds: ['manager1'] })).json).toMatchObject({
        flowControlledStaffIdList: ['manager1'],
      });
      await call('PATCH', `/_sim/apps/${app.clientId}`, {
        body: { flow_control_all: false, flow_controlled_user_ids: [] },
      });
      expect((await sendOto(token, { ...body, userIds: ['busy1'] })).json).toMatchObject({
        invalidStaffIdList: [],
        flowControlledStaffIdList: [],
      });
      expect((await call('PATCH', '/_sim/apps/dingnope', { body: {} })).status).toBe(404);

      const created = await call('POST', '/_sim/apps', {
        body: { client_id: 'dingthrottled', flow_control_all: true, invalid_user_ids: ['x'] },
      });
      expect(created.json).toMatchObject({ flow_control_all: true, invalid_user_ids: ['x'] });
    });
  });

  describe('faults on the app endpoints', () => {
    const queue = (fault: object) => call('POST', '/_sim/faults', { body: fault });

    it('answers HTTP 500 for the next N requests, then recovers', async () => {
      await queue({ path: '/gettoken', mode: 'http_500', count: 2 });
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${sim.url}/gettoken?appkey=dingstore&appsecret=secret-1`);
        expect(response.status).toBe(500);
        expect(classifyOldApiAnswer({ status: 500, json: undefined, latencyMs: 0 }).kind).toBe('transient');
      }
      expect(await oldToken()).toEqual(expect.any(String));
    });

    it('returns a chosen errcode on the old API (HTTP 200) and a chosen code with a requestid on the new API (HTTP 400)', async () => {
      const token = await oldToken();
      await queue({
        path: '/topapi/message/corpconversation/asyncsend_v2',
        mode: 'errcode',
        errcode: -1,
        errmsg: '系统繁忙',
      });
      const busy = await sendWork(token, workNotificationBody('3001', ['u1'], markdown));
      expect(busy).toEqual({ status: 200, json: { errcode: -1, errmsg: '系统繁忙' } });
      expect(classifyOld(busy).kind).toBe('transient');

      await queue({
        path: '/v1.0/robot/groupMessages/send',
        mode: 'errcode',
        errcode: 'bot.stopped',
        errmsg: '群机器人已经停用',
      });
      sim.state.ensureConversation({ id: 'cidF==', clientId: app.clientId });
      const stopped = await sendGroup(token, groupMessageBody(app.robotCode, 'cidF==', markdown));
      // DingTalk's gateway gives every new-API error a requestid (an upper-case UUID), injected ones too.
      expect(stopped).toEqual({
        status: 400,
        json: {
          code: 'bot.stopped',
          message: '群机器人已经停用',
          requestid: expect.stringMatching(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/),
        },
      });
      expect(classifyNew(stopped).kind).toBe('permanent');

      await queue({
        path: '/v1.0/oauth2/accessToken',
        mode: 'errcode',
        errcode: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
        http_status: 403,
      });
      const throttled = await call('POST', '/v1.0/oauth2/accessToken', {
        body: { appKey: 'dingstore', appSecret: 'secret-1' },
      });
      expect(throttled).toMatchObject({
        status: 403,
        json: { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi' },
      });
      expect(classifyNew(throttled).kind).toBe('transient');
      expect(sim.state.received({ channel: 'work_notification' })).toEqual([]);
      expect(sim.state.received({ channel: 'group' })).toEqual([]);
    });

    it('never answers a timed-out request, and only the next one', async () => {
      const token = await oldToken();
      await queue({ path: '/v1.0/robot/oToMessages/batchSend', mode: 'timeout' });
      const body = {
        robotCode: app.robotCode,
        userIds: ['u1'],
        msgKey: 'sampleText',
        msgParam: '{"content":"x"}',
      };
      await expect(
        fetch(`${sim.url}/v1.0/robot/oToMessages/batchSend`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': token },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(300),
        }),
      ).rejects.toThrow();
      expect((await sendOto(token, body)).status).toBe(200);
    });
  });

  it("answers the organisation's used-up monthly quota on both APIs until the next month, China time", async () => {
    sim.state.conversations.clear();
    const conversation = sim.state.ensureConversation({ clientId: 'dingstore', members: ['u1'] });
    const limited = sim.state.registerApp({
      clientId: 'dingstore',
      clientSecret: 'secret-1',
      agentId: '3001',
      monthlyQuota: 1,
    });
    expect(limited.monthlyQuota).toBe(1);
    const token = await oldToken(limited);
    const work = workNotificationBody('3001', ['u1'], markdown);
    expect((await sendWork(token, work)).json).toMatchObject({ errcode: 0 });
    const over = await sendWork(token, work);
    expect(over.json).toMatchObject({
      errcode: 90020,
      errmsg: expect.stringMatching(/本月api调用量已超过限制/),
    });
    expect(classifyOld(over).pause).toEqual({ scope: 'app', forMs: null });
    const group = await sendGroup(token, groupMessageBody('dingstore', conversation.id, markdown));
    expect(group).toMatchObject({
      status: 403,
      json: { code: 'Forbidden.AccessDenied.ApiCountLimitForOrg' },
    });
    expect(classifyNew(group).pause).toEqual({ scope: 'app', forMs: null });
    // The quota counts calls per calendar month in China time (UTC+8).
    const china = new Date(clock.now() + 8 * 3_600_000);
    clock.set(Date.UTC(china.getUTCFullYear(), china.getUTCMonth() + 1, 1) - 8 * 3_600_000);
    expect((await sendWork(await oldToken(limited), work)).json).toMatchObject({ errcode: 0 });
  });
});
