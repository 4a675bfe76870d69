import { FastifyInstance } from 'fastify';
import { SimulatorContext } from '../core/simulator-context';
import { SimApp, SimMessage, SimulatorState } from '../core/simulator-state';
import { oldApiTokenRefusal, requestId } from './app-answers';
import { DecodedMessage, textOf } from '../core/message-fields';
import { checkWorkNotificationMsg } from './work-notification-msg';

/**
 * List caps from the current asyncsend_v2 field table (docs/dingtalk/work-notifications.md: an older page allowed
 * 5000/500; the stricter current figures are the ones a service must live with).
 */
const MAX_USER_IDS = 100;
const MAX_DEPT_IDS = 20;
/** Silent per-employee limits of an internal app (docs/dingtalk/work-notifications.md). */
const DAILY_MESSAGES_PER_USER = 500;
const QUOTA_EXCEEDED = 143105;
const DUPLICATE_CONTENT = 143106;
/** Not codes of DingTalk's: how the simulator marks the users `getsendresult` lists as invalid or failed. */
const INVALID_USER = 'invalidUserId';
const FAILED_USER = 'failed';
/** DingTalk's day is China's (UTC+8). */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

type Body = Record<string, unknown>;

function bad(field: string, missing = true) {
  return {
    errcode: 40035,
    errmsg: `${missing ? '缺少参数' : '不合法的参数'} ${field}`,
    request_id: requestId(),
  };
}

/**
 * `userid_list` and `dept_id_list` are comma-separated *strings* (docs/dingtalk/work-notifications.md); null when
 * absent or empty.
 */
function idList(value: unknown): string[] | null | 'not_a_string' {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') return 'not_a_string';
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  return ids.length > 0 ? ids : null;
}

function chinaDay(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
}

/**
 * Which daily limit, if any, makes DingTalk drop this message for this user without saying so
 * (docs/dingtalk/work-notifications.md).
 */
function silentDrop(
  state: SimulatorState,
  app: SimApp,
  userId: string,
  message: DecodedMessage,
): number | undefined {
  const today = chinaDay(state.clock.now());
  const delivered = state
    .received({ channel: 'work_notification', target: userId, clientId: app.clientId, accepted: true })
    .filter((earlier) => earlier.droppedCode === undefined && chinaDay(earlier.arrivedAt) === today);
  if (delivered.length >= DAILY_MESSAGES_PER_USER) return QUOTA_EXCEEDED;
  const same = delivered.some(
    (earlier) =>
      earlier.msgtype === message.msgtype && earlier.title === message.title && earlier.text === message.text,
  );
  return same ? DUPLICATE_CONTENT : undefined;
}

/** Users the app marks unknown to the organisation, or as ones DingTalk fails to deliver to (control API). */
function recipientRule(app: SimApp, userId: string): string | undefined {
  if (app.recipients.invalid.includes(userId)) return INVALID_USER;
  if (app.recipients.workFailed.includes(userId)) return FAILED_USER;
  return undefined;
}

/**
 * The official curl examples post a form with `msg` as a JSON string; most clients post JSON
 * (docs/dingtalk/work-notifications.md).
 */
function acceptForms(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) => {
      done(null, Object.fromEntries(new URLSearchParams(body.toString())));
    },
  );
}

/**
 * Work notifications (工作通知, docs/dingtalk/work-notifications.md): `asyncsend_v2` checks the token, the app's
 * `agent_id`, the recipients and `msg`, answers a `task_id`, and records one message per recipient (channel
 * `work_notification`, target the userid, `dept:<id>` or `all_users`). `getsendresult` reports what the silent daily
 * limits dropped, the users the app marks invalid or failed, and nobody while the task is still being processed
 * (the app's `sendResultDelayMs`).
 */
export function registerWorkNotifications(app: FastifyInstance, { state }: SimulatorContext): void {
  acceptForms(app);

  app.post<{ Querystring: Record<string, string | undefined> }>(
    '/topapi/message/corpconversation/asyncsend_v2',
    (request) => {
      const auth = state.checkToken(request.query.access_token);
      if (!auth.ok) return oldApiTokenRefusal(auth);
      const body = (request.body ?? {}) as Body;
      if (body.agent_id === undefined || body.agent_id === '') return bad('agent_id');
      if (textOf(body.agent_id) !== auth.app.agentId) return bad('agent_id', false);

      const userIds = idList(body.userid_list);
      const deptIds = idList(body.dept_id_list);
      if (userIds === 'not_a_string') return bad('userid_list', false);
      if (deptIds === 'not_a_string') return bad('dept_id_list', false);
      const toAll = body.to_all_user === true || body.to_all_user === 'true';
      if (!toAll && !userIds && !deptIds) return bad('userid_list');
      if (userIds && userIds.length > MAX_USER_IDS) return bad('userid_list', false);
      if (deptIds && deptIds.length > MAX_DEPT_IDS) return bad('dept_id_list', false);

      const decoded = checkWorkNotificationMsg(body.msg);
      if (!decoded.ok) return bad(decoded.field, decoded.missing);

      const metered = state.meterCall(auth.app);
      if (!metered.ok) {
        return {
          errcode: 90020,
          errmsg: `您的企业本月api调用量已超过限制,调用量:${metered.used}次,额度:${metered.quota}次,请登录开发者后台-资源管理-查看用量明细`,
          request_id: requestId(),
        };
      }
      const taskId = state.newTaskId();
      const targets = toAll
        ? ['all_users']
        : [...(userIds ?? []), ...(deptIds ?? []).map((id) => `dept:${id}`)];
      for (const target of targets) {
        const droppedCode =
          target.includes(':') || target === 'all_users'
            ? undefined
            : (recipientRule(auth.app, target) ?? silentDrop(state, auth.app, target, decoded.message));
        const recorded: Omit<SimMessage, 'id' | 'arrivedAt'> = {
          channel: 'work_notification',
          target,
          clientId: auth.app.clientId,
          msgtype: decoded.message.msgtype,
          title: decoded.message.title,
          text: decoded.message.text,
          body,
          signature: null,
          errcode: 0,
          errmsg: 'ok',
          taskId,
        };
        state.record(droppedCode === undefined ? recorded : { ...recorded, droppedCode });
      }
      return { errcode: 0, task_id: taskId, request_id: requestId() };
    },
  );

  app.post<{ Querystring: Record<string, string | undefined> }>(
    '/topapi/message/corpconversation/getsendresult',
    (request) => {
      const auth = state.checkToken(request.query.access_token);
      if (!auth.ok) return oldApiTokenRefusal(auth);
      const body = (request.body ?? {}) as Body;
      if (textOf(body.agent_id) !== auth.app.agentId) return bad('agent_id', body.agent_id === undefined);
      const sent = state.messages.filter(
        (message) =>
          message.taskId !== undefined &&
          message.taskId === Number(body.task_id) &&
          message.clientId === auth.app.clientId,
      );
      if (sent.length === 0) return bad('task_id', false);
      // Still being processed: DingTalk has not sorted anyone into a list yet.
      const processed = state.clock.now() - sent[0].arrivedAt >= auth.app.sendResultDelayMs;
      const users = processed
        ? sent.filter((message) => !message.target.includes(':') && message.target !== 'all_users')
        : [];
      const marked = (code: string) =>
        users.filter((message) => message.droppedCode === code).map((message) => message.target);
      const dropped = users.filter((message) => typeof message.droppedCode === 'number');
      return {
        errcode: 0,
        errmsg: 'ok',
        send_result: {
          invalid_user_id_list: marked(INVALID_USER),
          forbidden_user_id_list: dropped.map((message) => message.target),
          failed_user_id_list: marked(FAILED_USER),
          read_user_id_list: [],
          unread_user_id_list: users
            .filter((message) => message.droppedCode === undefined)
            .map((message) => message.target),
          invalid_dept_id_list: [],
          forbidden_list: dropped.map((message) => ({
            code: String(message.droppedCode),
            count: 1,
            userid: message.target,
          })),
        },
        request_id: requestId(),
      };
    },
  );
}
