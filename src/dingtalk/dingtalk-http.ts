import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent, errors, request } from 'undici';
import { AppConfig } from '../config/app-config';

export interface HttpAnswer {
  status: number;
  /** Parsed JSON body, or undefined when the body is not JSON (DingTalk's throttling pages can be HTML). */
  json: unknown;
  latencyMs: number;
  /** The `Retry-After` header as sent (seconds or an HTTP date), when there is one. */
  retryAfter?: string | null;
  /** The body is an HTML page (DingTalk's answer when it blocks the caller's IP: docs/dingtalk/README.md). */
  html?: boolean;
}

/**
 * DingTalk could not be reached (`network`), did not answer in time (`timeout`), or the caller stopped the call
 * before it answered (`stopped`: shutdown, a lost lease): always worth retrying.
 */
export class DingTalkNetworkError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network' | 'stopped',
    message: string,
    readonly latencyMs: number,
  ) {
    super(message);
    this.name = 'DingTalkNetworkError';
  }
}

const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * The one HTTP client for DingTalk: keep-alive connections, and a deadline on every call (connect, headers,
 * body and the whole exchange), so that a silent peer costs a bounded wait, never a stuck send.
 */
@Injectable()
export class DingTalkHttp implements OnApplicationShutdown {
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(config: AppConfig) {
    this.timeoutMs = config.dingtalk.timeoutMs;
    this.agent = new Agent({
      connect: { timeout: this.timeoutMs },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      keepAliveTimeout: 10_000,
    });
  }

  /** `signal`: the caller gave up (e.g. a Stream connection being stopped); the call ends at once. */
  async post(
    url: string,
    body: unknown,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<HttpAnswer> {
    return this.send(
      'POST',
      url,
      JSON.stringify(body),
      { 'content-type': 'application/json; charset=utf-8', ...headers },
      signal,
    );
  }

  /** The card API updates a card with PUT (docs/dingtalk/cards.md); the same deadlines as a POST. */
  async put(
    url: string,
    body: unknown,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<HttpAnswer> {
    return this.send(
      'PUT',
      url,
      JSON.stringify(body),
      { 'content-type': 'application/json; charset=utf-8', ...headers },
      signal,
    );
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.send('GET', url, undefined, headers);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }

  private async send(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body: string | undefined,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<HttpAnswer> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await request(url, {
        method,
        body,
        headers: { accept: 'application/json', ...headers },
        dispatcher: this.agent,
        signal: signal
          ? AbortSignal.any([AbortSignal.timeout(this.timeoutMs), signal])
          : AbortSignal.timeout(this.timeoutMs),
      });
      const text = await readLimited(response.body);
      const retryAfter = response.headers['retry-after'];
      return {
        status: response.statusCode,
        json: parseJson(text),
        latencyMs: elapsed(),
        html: /^\s*</.test(text),
        retryAfter: (Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) ?? null,
      };
    } catch (error) {
      const origin = new URL(url).origin;
      if (signal?.aborted) {
        // The caller stopped the call: say why, not that DingTalk could not be reached.
        const reason = signal.reason instanceof Error ? signal.reason.message : 'the caller gave up';
        throw new DingTalkNetworkError('stopped', `Stopped before ${origin} answered: ${reason}`, elapsed());
      }
      throw toNetworkError(error, origin, this.timeoutMs, elapsed());
    }
  }
}

async function readLimited(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Network error messages may quote the URL (with its access_token): only the origin is named. */
function toNetworkError(
  error: unknown,
  origin: string,
  timeoutMs: number,
  latencyMs: number,
): DingTalkNetworkError {
  const timedOut =
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
  if (timedOut) {
    return new DingTalkNetworkError(
      'timeout',
      `${origin} did not answer within ${timeoutMs / 1000} s`,
      latencyMs,
    );
  }
  const code =
    (error as { code?: string; cause?: { code?: string } }).code ??
    (error as { cause?: { code?: string } }).cause?.code;
  return new DingTalkNetworkError(
    'network',
    `Could not reach ${origin}${code ? ` (${code})` : ''}`,
    latencyMs,
  );
}
