import { connect } from 'node:net';

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
