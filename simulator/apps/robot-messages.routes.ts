import { randomBytes } from 'node:crypto';
import { FastifyInstance, FastifyReply } from 'fastify';
import { SimulatorContext } from '../core/simulator-context';
import { SimApp, SimChannel, SimulatorState } from '../core/simulator-state';
import { newApiError } from '../core/dingtalk-answers';
import { headerTokenApp } from './app-answers';
import { DecodedMessage } from '../core/message-fields';
import { checkRobotMsgParam } from './robot-msg-param';

/** `msgParam` may be at most 15,000 bytes (docs/dingtalk/robot-messages.md). */
const MAX_MSG_PARAM_BYTES = 15_000;
/**
 * At most 20 userids per batchSend; an error text says 100, the stricter one here (docs/dingtalk/robot-messages.md).
 */
const MAX_OTO_USERS = 20;

type Body = Record<string, unknown>;

type Checked = { app: SimApp; message: DecodedMessage } | { status: number; code: string; message: string };

/**
 * What both robot send APIs check before anything else, in this order: the header token
 * (docs/dingtalk/access-tokens.md), the robot code against the token's app, then `msgKey`/`msgParam`
 * (docs/dingtalk/robot-messages.md), then the organisation's monthly quota (docs/dingtalk/README.md).
 */
function checkRobotSend(state: SimulatorState, header: string | string[] | undefined, body: Body): Checked {
  const auth = headerTokenApp(state, header);
  if ('code' in auth) return { status: 400, ...auth };
  const robotCode = body.robotCode;
  if (typeof robotCode !== 'string' || robotCode === '') {
    return { status: 400, code: 'invalidParameter.robotCode.empty', message: 'robotCode is empty' };
  }
  const owner = [...state.apps.values()].find((candidate) => candidate.robotCode === robotCode);
  if (!owner) return { status: 400, code: 'invalidParameter.robotCode.notExsit', message: '机器人不存在' };
  if (owner.clientId !== auth.app.clientId) {
    return {
      status: 400,
      code: 'invalidParameter.robotCode.auth',
      message: "This app's appkey does not match the bot's robotCode",
    };
  }
  if (typeof body.msgParam === 'string' && Buffer.byteLength(body.msgParam, 'utf8') > MAX_MSG_PARAM_BYTES) {
    return {
      status: 400,
      code: 'invalidParameter.msgParam.invalid',
      message: `msgParam exceeds ${MAX_MSG_PARAM_BYTES} bytes`,
    };
  }
  const decoded = checkRobotMsgParam(body.msgKey, body.msgParam);
  if (!decoded.ok) return { status: 400, code: decoded.code, message: decoded.message };
  const metered = state.meterCall(auth.app);
  if (!metered.ok) {
    return {
      status: 403,
      code: 'Forbidden.AccessDenied.ApiCountLimitForOrg',
      message: `您的企业本月api调用量已超过限制,调用量:${metered.used}次,额度:${metered.quota}次`,
    };
  }
  return { app: auth.app, message: decoded.message };
}

function processQueryKey(): string {
  return randomBytes(24).toString('base64');
}

/**
 * An enterprise-internal-app robot sending (docs/dingtalk/robot-messages.md): to a group it is in
 * (`groupMessages/send`, recorded as channel `group`, target the openConversationId) and to users one by one
 * (`oToMessages/batchSend`, channel `oto`, target the userid). Refusals are HTTP 400 `{code, message, requestid}`
 * (docs/dingtalk/robot-messages.md).
 */
export function registerRobotMessages(app: FastifyInstance, { state }: SimulatorContext): void {
  const record = (
    channel: SimChannel,
    target: string,
    checked: Extract<Checked, { app: SimApp }>,
    body: Body,
    droppedCode?: string,
  ) =>
    state.record({
      ...(droppedCode ? { droppedCode } : {}),
      channel,
      target,
      clientId: checked.app.clientId,
      msgtype: checked.message.msgtype,
      title: checked.message.title,
      text: checked.message.text,
      body,
      signature: null,
      errcode: 0,
      errmsg: 'ok',
    });
  const refuse = (reply: FastifyReply, refusal: { status: number; code: string; message: string }) =>
    newApiError(reply, refusal.status, refusal.code, refusal.message);

  app.post('/v1.0/robot/groupMessages/send', (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const checked = checkRobotSend(state, request.headers['x-acs-dingtalk-access-token'], body);
    if ('code' in checked) return refuse(reply, checked);
    const id = body.openConversationId;
    const conversation = typeof id === 'string' ? state.conversations.get(id) : undefined;
    if (!conversation || conversation.type !== 'group') {
      return refuse(reply, {
        status: 400,
        code: 'invalid.openConversationId',
        message: '无效的openConversationId',
      });
    }
    // The query API's table words it so: "机器人不存在,请检查机器人是否在群内" (the robot is not in that group).
    if (!conversation.clientIds.includes(checked.app.clientId)) {
      return refuse(reply, {
        status: 400,
        code: 'invalidParameter.robotCode.notExsit',
        message: '机器人不存在,请检查机器人是否在群内',
      });
    }
    record('group', conversation.id, checked, body);
    return { processQueryKey: processQueryKey() };
  });

  app.post('/v1.0/robot/oToMessages/batchSend', (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const checked = checkRobotSend(state, request.headers['x-acs-dingtalk-access-token'], body);
    if ('code' in checked) return refuse(reply, checked);
    const userIds = Array.isArray(body.userIds)
      ? body.userIds.filter((id): id is string => typeof id === 'string' && id !== '')
      : [];
    if (userIds.length === 0) {
      return refuse(reply, {
        status: 400,
        code: 'invalidParameter.userIds.empty',
        message: 'userIds is empty',
      });
    }
    if (userIds.length > MAX_OTO_USERS) {
      return refuse(reply, {
        status: 400,
        code: 'invalidParameter.userIds.overMax',
        message: `userIds exceeds ${MAX_OTO_USERS}`,
      });
    }
    // HTTP 200 either way: who did not get it is only in the two lists (docs/dingtalk/robot-messages.md).
    const invalidStaffIdList: string[] = [];
    const flowControlledStaffIdList: string[] = [];
    const rules = checked.app.recipients;
    for (const userId of userIds) {
      if (rules.invalid.includes(userId)) {
        invalidStaffIdList.push(userId);
        record('oto', userId, checked, body, 'invalidStaffId');
        continue;
      }
      state.ensureConversation({ type: 'single', clientId: checked.app.clientId, members: [userId] });
      if (rules.flowControlAll || rules.flowControlled.includes(userId)) {
        flowControlledStaffIdList.push(userId);
        record('oto', userId, checked, body, 'flowControlled');
        continue;
      }
      record('oto', userId, checked, body);
    }
    return { processQueryKey: processQueryKey(), invalidStaffIdList, flowControlledStaffIdList };
  });
}
