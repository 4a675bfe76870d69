import { FastifyInstance } from 'fastify';
import { SimulatorContext } from '../core/simulator-context';
import { textOf } from '../core/message-fields';
import { oldApiTokenRefusal, requestId } from './app-answers';

/**
 * `POST /topapi/v2/user/get?access_token=` (the old API: HTTP 200 with `errcode`): a user of the organisation by
 * userid, of whom the simulator knows the name only (`result.userid`, `result.name`). Unknown users answer 60121
 * 找不到该用户, a missing userid 40035. DingTalk also needs the app's permission to read members (qyapi_get_member);
 * the simulator grants it to every app.
 */
export function registerUserDirectory(app: FastifyInstance, context: SimulatorContext): void {
  const { state } = context;
  app.post<{ Querystring: Record<string, string | undefined> }>('/topapi/v2/user/get', (request) => {
    const auth = state.checkToken(request.query.access_token);
    if (!auth.ok) return oldApiTokenRefusal(auth);
    const userId = textOf(((request.body ?? {}) as Record<string, unknown>).userid);
    if (!userId) return { errcode: 40035, errmsg: '缺少参数 userid', request_id: requestId() };
    const member = [...state.conversations.values()].some((c) => c.members.includes(userId));
    const name = state.staffNames.get(userId) ?? (member ? `员工${userId}` : null);
    if (name === null) return { errcode: 60121, errmsg: '找不到该用户', request_id: requestId() };
    return { errcode: 0, errmsg: 'ok', result: { userid: userId, name }, request_id: requestId() };
  });
}
