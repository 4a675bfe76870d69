import { FastifyInstance } from 'fastify';
import { SimulatorContext } from '../core/simulator-context';
import { checkCustomRobotBody } from './custom-robot-body';

const MAX_BODY_BYTES = 20_000;

/**
 * `POST /robot/sendBySession?session=…`: a reply into the conversation a bot message came from
 * (docs/dingtalk/robot-messages.md). No token needed; the body is a custom-robot body (docs/dingtalk/custom-robot.md).
 * An unknown or expired session answers HTTP 200 with `300001 session 不存在`, as DingTalk does after the ~90 minutes of
 * `sessionWebhookExpiredTime`. Accepted replies are recorded on channel `session` with the conversation id as target,
 * so the page shows them in that conversation.
 */
export function registerSessionWebhook(app: FastifyInstance, { state, clock }: SimulatorContext): void {
  app.post<{ Querystring: Record<string, string | undefined> }>('/robot/sendBySession', (request) => {
    const sessionId = request.query.session ?? '';
    const session = state.sessions.get(sessionId);
    const live = session !== undefined && clock.now() < session.expiresAt;
    const body: unknown = request.body;
    const decoded = checkCustomRobotBody(body);
    const answer = (errcode: number, errmsg: string) => {
      state.record({
        channel: 'session',
        target: session?.conversationId ?? sessionId,
        clientId: session?.clientId ?? null,
        ...(session ? { sessionId: session.id } : {}),
        msgtype: decoded.ok ? decoded.message.msgtype : null,
        title: decoded.ok ? decoded.message.title : null,
        text: decoded.ok ? decoded.message.text : null,
        body,
        signature: null,
        errcode,
        errmsg,
        contentType: request.headers['content-type'] ?? null,
      });
      return { errcode, errmsg };
    };

    if (!live) return answer(300001, 'session 不存在');
    if (!String(request.headers['content-type'] ?? '').includes('application/json')) {
      return answer(43004, '无效的HTTP HEADER Content-Type');
    }
    if (Buffer.byteLength(request.rawBody ?? '', 'utf8') > MAX_BODY_BYTES) {
      return answer(460101, `message too long, exceed ${MAX_BODY_BYTES} bytes`);
    }
    if (!decoded.ok) return answer(decoded.errcode, decoded.errmsg);
    return answer(0, 'ok');
  });
}
