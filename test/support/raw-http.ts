import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';

export interface RawAnswer {
  status: number;
  /** The status line and headers as they came, e.g. to read X-Request-Id. */
  headers: string;
  body: string;
  requestId: string | undefined;
}

/**
 * Sends bytes as they are over a plain socket (fetch would refuse them or fix them up: an unknown method, a header
 * over 16 KiB, invalid UTF-8 in a body) and reads the answer until the server closes the connection. The request
 * should say `Connection: close` unless the server closes it by itself.
 */
export function rawRequest(port: number, request: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const body = split < 0 ? '' : text.slice(split + 4);
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        headers: head,
        body,
        requestId: /\r\nx-request-id: *(\S+)/i.exec(head)?.[1],
      });
    });
    socket.write(request);
  });
}

export interface BytesAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
  body: any;
}

/**
 * One request through node:http with a body of exactly these bytes and exactly these headers (fetch re-encodes a
 * string body as UTF-8 and sets its own Content-Type); the JSON answer parsed.
 */
export function bytesRequest(
  url: string,
  options: { method: string; headers: Record<string, string>; body: Buffer },
): Promise<BytesAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: options.method,
        headers: { ...options.headers, 'content-length': String(options.body.length) },
        timeout: 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = text;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer')));
    request.on('error', reject);
    request.end(options.body);
  });
}

/**
 * POSTs to a DingTalk endpoint (of the simulator) as a client would: `body` as JSON unless it is a string already.
 * DingTalk answers HTTP 200 and says in the JSON what became of the request.
 */
export async function postToDingTalk(url: string, body: unknown, contentType = 'application/json') {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { errcode: number; errmsg: string };
}
