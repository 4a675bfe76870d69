import { FastifyInstance } from 'fastify';
import { SimulatorContext } from '../core/simulator-context';
import { newApiError } from '../core/dingtalk-answers';
import { requestId } from './app-answers';

/**
 * App access tokens (docs/dingtalk/access-tokens.md): `GET /gettoken` (old API, HTTP 200 with `errcode`) and
 * `POST /v1.0/oauth2/accessToken` (new API, HTTP 400 on bad credentials). Both hand out the app's one current token.
 */
export function registerAppTokens(app: FastifyInstance, { state, clock }: SimulatorContext): void {
  app.get<{ Querystring: Record<string, string | undefined> }>('/gettoken', (request) => {
    const { appkey, appsecret } = request.query;
    // The parameters belong in the query string; without them DingTalk names one (docs/dingtalk/access-tokens.md).
    if (!appkey || !appsecret) return { errcode: 40035, errmsg: '缺少参数 corpid or appkey' };
    const found = state.apps.get(appkey);
    if (!found || found.clientSecret !== appsecret) {
      return { errcode: 40096, errmsg: '不合法的appKey或appSecret' };
    }
    const token = state.issueToken(found);
    return {
      errcode: 0,
      access_token: token.token,
      errmsg: 'ok',
      expires_in: Math.round((token.expiresAt - clock.now()) / 1000),
    };
  });

  // DingTalk reads these parameters from the query only: a POST (parameters in its body) is told they are missing.
  // The stricter reading: it is told so even with the parameters in its query (docs/dingtalk/access-tokens.md).
  app.post('/gettoken', () => ({ errcode: 40035, errmsg: '缺少参数 corpid or appkey' }));

  app.post('/v1.0/oauth2/accessToken', (request, reply) => {
    const body = (request.body ?? {}) as { appKey?: unknown; appSecret?: unknown };
    const found = typeof body.appKey === 'string' ? state.apps.get(body.appKey) : undefined;
    // One documented refusal for an unknown key, a wrong secret or none at all (docs/dingtalk/access-tokens.md).
    if (!found || found.clientSecret !== body.appSecret) {
      return newApiError(reply, 400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
    }
    const token = state.issueToken(found);
    return {
      accessToken: token.token,
      expireIn: Math.round((token.expiresAt - clock.now()) / 1000),
      requestid: requestId(),
    };
  });
}
