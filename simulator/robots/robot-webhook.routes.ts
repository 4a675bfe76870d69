import { FastifyInstance } from 'fastify';
import { SimulatorContext } from '../core/simulator-context';
import { RobotThrottleCode, SimMessage } from '../core/simulator-state';
import { checkCustomRobotBody } from './custom-robot-body';
import { verifySignature } from './robot-signature';

const MORE = ', more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]';
const THROTTLE_MS = 10 * 60 * 1000;
const MAX_BODY_BYTES = 20_000;

/** What each of DingTalk's throttle codes has been seen to say (docs/dingtalk/custom-robot.md, Answers). */
function throttleMessage(errcode: RobotThrottleCode, perMinute: number): string {
  switch (errcode) {
    case 410100:
    case 130101:
      return `send too fast, exceed ${perMinute} times per minute${MORE}`;
    case 660026:
      return `sending too many messages per minute${MORE}`;
  }
}

/**
 * `POST /robot/send`: a custom group robot. Every refusal is HTTP 200 with an `errcode`, as DingTalk does
 * (docs/dingtalk/custom-robot.md); the checks run in DingTalk's order: token, switched off, content type, size, signature, body,
 * keywords, rate.
 */
export function registerRobotWebhook(app: FastifyInstance, { state, clock }: SimulatorContext): void {
  app.post<{ Querystring: Record<string, string | undefined> }>('/robot/send', (request) => {
    const now = clock.now();
    const token = request.query.access_token ?? '';
    const robot = state.robots.get(token);
    const body: unknown = request.body;
    const decoded = checkCustomRobotBody(body);
    const answer = (errcode: number, errmsg: string, signature: SimMessage['signature'] = null) => {
      state.record({
        channel: 'robot',
        target: token,
        clientId: null,
        msgtype: decoded.ok ? decoded.message.msgtype : null,
        title: decoded.ok ? decoded.message.title : null,
        text: decoded.ok ? decoded.message.text : null,
        body,
        signature,
        errcode,
        errmsg,
        contentType: request.headers['content-type'] ?? null,
      });
      return { errcode, errmsg };
    };

    if (!robot) return answer(300005, 'token is not exist');
    // DingTalk documents the code only (docs/dingtalk/custom-robot.md); the wording is the simulator's.
    if (!robot.enabled) return answer(400102, `robot is disabled${MORE}`);
    if (!String(request.headers['content-type'] ?? '').includes('application/json')) {
      return answer(43004, '无效的HTTP HEADER Content-Type');
    }
    if (Buffer.byteLength(request.rawBody ?? '', 'utf8') > MAX_BODY_BYTES) {
      return answer(460101, `message too long, exceed ${MAX_BODY_BYTES} bytes${MORE}`);
    }
    const signature = verifySignature(robot.secret, request.query.timestamp, request.query.sign, now);
    if (signature === 'invalid') return answer(310000, `sign not match${MORE}`, signature);
    if (signature === 'expired') return answer(310000, `invalid timestamp${MORE}`, signature);
    if (!decoded.ok) return answer(decoded.errcode, decoded.errmsg, signature);
    if (
      robot.keywords.length > 0 &&
      !robot.keywords.some((keyword) => decoded.message.searchable.includes(keyword))
    ) {
      return answer(310000, `keywords not in content${MORE}`, signature);
    }
    const throttled = () =>
      answer(robot.throttleErrcode, throttleMessage(robot.throttleErrcode, robot.ratePerMinute), signature);
    if (robot.throttledUntil !== null && now < robot.throttledUntil) return throttled();
    robot.recentSends = robot.recentSends.filter((at) => now - at < 60_000);
    if (robot.recentSends.length >= robot.ratePerMinute) {
      robot.throttledUntil = now + THROTTLE_MS;
      return throttled();
    }
    robot.recentSends.push(now);
    robot.throttledUntil = null;
    return answer(0, 'ok', signature);
  });
}
