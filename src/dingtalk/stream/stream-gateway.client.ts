import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AppCredentials } from '../app-credentials';
import { DingTalkHttp, DingTalkNetworkError } from '../dingtalk-http';
import { STREAM_SUBSCRIPTIONS } from './stream-frames';

/**
 * `connections/open` failed. `auth`: DingTalk refused the credentials (retrying soon will not help); `transient`:
 * network, timeout, 5xx or throttling. The message names no secret.
 */
export class StreamOpenError extends Error {
  constructor(
    readonly kind: 'auth' | 'transient',
    message: string,
  ) {
    super(message);
    this.name = 'StreamOpenError';
  }
}

export interface StreamTicket {
  /** `wss://…/connect` (never hard-coded: more than one host has been seen; docs/dingtalk/stream-mode.md). */
  endpoint: string;
  ticket: string;
}

/**
 * Asks the gateway for a single-use ticket (docs/dingtalk/stream-mode.md, Opening a connection). Goes through
 * DingTalkHttp, so the call has the same deadline as every other call to DingTalk, and the gateway host is
 * `DINGTALK_API_URL` (the simulator in tests).
 */
@Injectable()
export class StreamGatewayClient {
  constructor(
    private readonly http: DingTalkHttp,
    private readonly config: AppConfig,
  ) {}

  async open(app: AppCredentials, signal?: AbortSignal): Promise<StreamTicket> {
    const url = `${this.config.dingtalk.apiUrl}/v1.0/gateway/connections/open`;
    let answer;
    try {
      answer = await this.http.post(
        url,
        {
          clientId: app.clientId,
          clientSecret: app.clientSecret,
          subscriptions: STREAM_SUBSCRIPTIONS,
          ua: 'store-dingtalk-notify',
        },
        {},
        signal,
      );
    } catch (error) {
      if (error instanceof DingTalkNetworkError) throw new StreamOpenError('transient', error.message);
      throw error;
    }
    const body = (answer.json ?? {}) as {
      endpoint?: unknown;
      ticket?: unknown;
      code?: unknown;
      message?: unknown;
    };
    if (answer.status === 200 && typeof body.endpoint === 'string' && typeof body.ticket === 'string') {
      return { endpoint: body.endpoint, ticket: body.ticket };
    }
    const detail = `connections/open answered HTTP ${answer.status}${
      typeof body.code === 'string' ? ` ${body.code}` : ''
    }${typeof body.message === 'string' ? `: ${body.message.slice(0, 200)}` : ''}`;
    throw new StreamOpenError(isCredentialRefusal(answer.status, body.code) ? 'auth' : 'transient', detail);
  }
}

/**
 * The bad-credentials answer is undocumented (docs/dingtalk/stream-mode.md, Opening a connection). The open call
 * carries nothing but the credentials, so a 4xx is taken as a refusal of them, except throttling (429, or 403 with a
 * QPS/limit code: docs/dingtalk/README.md).
 */
function isCredentialRefusal(status: number, code: unknown): boolean {
  if (status < 400 || status >= 500 || status === 429) return false;
  return !(typeof code === 'string' && /limit|qps|throttl/i.test(code));
}
