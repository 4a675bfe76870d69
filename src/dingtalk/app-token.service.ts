import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { AppCredentials } from './app-credentials';
import { DingTalkHttp, DingTalkNetworkError } from './dingtalk-http';
import { DingTalkOutcome, networkOutcome } from './dingtalk-outcome';
import { classifyNewApiAnswer } from './new-api-answers';
import { classifyOldApiAnswer } from './old-api-answers';

/**
 * Which API family the token is for: the old API wants `?access_token=`, the new one a header
 * (docs/dingtalk/README.md).
 */
export type TokenFamily = 'oapi' | 'api';

/** Fetching an app token failed; `outcome` says whether that is worth retrying and what to fix. */
export class AppTokenError extends Error {
  constructor(readonly outcome: DingTalkOutcome) {
    super(outcome.errmsg);
    this.name = 'AppTokenError';
  }
}

interface CachedToken {
  token: string;
  expiresAt: number;
  /** The secret it was fetched with, hashed: a token of the app's former secret is not used once it has a new one. */
  secret: string;
}

/** Refresh this long before expiry, so that a send never races the expiry (the Python SDK uses 5 min). */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * App access tokens, one cache entry per app (client_id) and API family, whatever the number of bots, stores and
 * groups the app serves (docs/dingtalk/access-tokens.md: DingTalk asks callers to cache them and may
 * "frequency-intercept" frequent fetches). One fetch at a time per app and secret: concurrent senders share it. A new
 * secret replaces the app's entry rather than adding one.
 */
@Injectable()
export class AppTokenService {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly http: DingTalkHttp,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async token(app: AppCredentials, family: TokenFamily): Promise<string> {
    const key = cacheKey(app, family);
    const secret = secretHash(app);
    const entry = this.cache.get(key);
    const cached = entry?.secret === secret ? entry : undefined;
    const now = this.clock.now();
    if (cached && cached.expiresAt - now > REFRESH_MARGIN_MS) return cached.token;

    const fetchKey = `${key}:${secret}`;
    let pending = this.inFlight.get(fetchKey);
    if (!pending) {
      pending = this.fetch(app, family)
        .then((fresh) => {
          this.cache.set(key, { ...fresh, secret });
          return fresh.token;
        })
        .finally(() => this.inFlight.delete(fetchKey));
      this.inFlight.set(fetchKey, pending);
    }
    try {
      return await pending;
    } catch (error) {
      // Still valid for a few minutes: better to use it than to fail the send.
      if (
        cached &&
        cached.expiresAt > this.clock.now() &&
        error instanceof AppTokenError &&
        error.outcome.kind === 'transient'
      ) {
        return cached.token;
      }
      throw error;
    }
  }

  /** DingTalk refused the token: forget it, so that the next call fetches a new one. */
  invalidate(app: AppCredentials, family: TokenFamily): void {
    this.cache.delete(cacheKey(app, family));
  }

  private async fetch(app: AppCredentials, family: TokenFamily): Promise<Omit<CachedToken, 'secret'>> {
    try {
      return family === 'oapi' ? await this.fetchOldApiToken(app) : await this.fetchNewApiToken(app);
    } catch (error) {
      if (error instanceof DingTalkNetworkError) throw new AppTokenError(networkOutcome(error));
      throw error;
    }
  }

  /** `GET /gettoken?appkey&appsecret` (the query string, not the body: docs/dingtalk/access-tokens.md). */
  private async fetchOldApiToken(app: AppCredentials): Promise<Omit<CachedToken, 'secret'>> {
    const url = new URL('/gettoken', this.config.dingtalk.oapiUrl);
    url.searchParams.set('appkey', app.clientId);
    url.searchParams.set('appsecret', app.clientSecret);
    const answer = await this.http.get(url.href);
    const outcome = classifyOldApiAnswer(answer);
    const body = answer.json as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (outcome.kind !== 'ok' || typeof body?.access_token !== 'string')
      throw new AppTokenError(tokenFailure(outcome));
    return { token: body.access_token, expiresAt: this.expiry(body.expires_in) };
  }

  /**
   * `POST /v1.0/oauth2/accessToken {appKey, appSecret}` → `{accessToken, expireIn}` (docs/dingtalk/access-tokens.md).
   */
  private async fetchNewApiToken(app: AppCredentials): Promise<Omit<CachedToken, 'secret'>> {
    const answer = await this.http.post(`${this.config.dingtalk.apiUrl}/v1.0/oauth2/accessToken`, {
      appKey: app.clientId,
      appSecret: app.clientSecret,
    });
    const outcome = classifyNewApiAnswer(answer);
    const body = answer.json as { accessToken?: unknown; expireIn?: unknown } | undefined;
    if (outcome.kind !== 'ok' || typeof body?.accessToken !== 'string')
      throw new AppTokenError(tokenFailure(outcome));
    return { token: body.accessToken, expiresAt: this.expiry(body.expireIn) };
  }

  private expiry(seconds: unknown): number {
    const lifetime = typeof seconds === 'number' && seconds > 0 ? seconds : 7200;
    return this.clock.now() + lifetime * 1000;
  }
}

/** A token endpoint that answers "ok" without a token is not ok; a refused token there means bad credentials. */
function tokenFailure(outcome: DingTalkOutcome): DingTalkOutcome {
  if (outcome.kind === 'ok')
    return { ...outcome, kind: 'transient', errmsg: 'DingTalk answered without a token' };
  return outcome;
}

/** One entry per app and family. */
function cacheKey(app: AppCredentials, family: TokenFamily): string {
  return `${family}:${app.clientId}`;
}

/** The secret an entry was fetched with, hashed, so that new credentials never reuse the former secret's token. */
function secretHash(app: AppCredentials): string {
  return createHash('sha256').update(app.clientSecret).digest('hex').slice(0, 16);
}

/**
 * A call with the app's token: a refused token is dropped and fetched once more before giving up; a token that
 * cannot be had, or a call that got no answer, is the outcome (never thrown). Shared by the app's API clients.
 */
export async function withAppToken(
  tokens: AppTokenService,
  app: AppCredentials,
  family: TokenFamily,
  call: (token: string) => Promise<DingTalkOutcome>,
): Promise<DingTalkOutcome> {
  try {
    const first = await call(await tokens.token(app, family));
    if (first.kind !== 'token_expired') return first;
    tokens.invalidate(app, family);
    const second = await call(await tokens.token(app, family));
    // Refused twice in a row: not an expiry but a token DingTalk will not take; retry later.
    return second.kind === 'token_expired' ? { ...second, kind: 'transient' } : second;
  } catch (error) {
    if (error instanceof AppTokenError) return error.outcome;
    if (error instanceof DingTalkNetworkError) return networkOutcome(error);
    throw error;
  }
}
