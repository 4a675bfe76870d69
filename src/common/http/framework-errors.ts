import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { logAnswer } from './access-log';
import { ErrorEnvelope } from './api-envelope';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * Errors Fastify answers by itself, before any hook or Nest sees the request, in the same envelope as every other
 * error. The router's: a URL that is not valid percent-encoded UTF-8 (400) and a path parameter over Fastify's
 * 100 characters (414). Fastify builds these requests outside any route, so no onResponse hook runs for them: the
 * access-log line is written here, once the answer is out.
 */
export function frameworkErrors(
  log: Logger,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 400;
    const msg =
      error.code === 'FST_ERR_BAD_URL'
        ? 'The URL is not valid: a %-escape in it is not UTF-8'
        : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'A path parameter is longer than 100 characters'
          : 'Bad request';
    const body: ErrorEnvelope = { code: status, msg, request_id: request.id };
    const started = process.hrtime.bigint();
    reply.raw.once('close', () =>
      logAnswer(log, {
        requestId: request.id,
        method: request.method,
        url: request.url,
        status,
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
      }),
    );
    void reply.status(status).header(REQUEST_ID_HEADER, request.id).send(body);
  };
}

const CLIENT_ERRORS: Record<string, { status: number; reason: string; msg: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    msg: 'The request line and headers are over 16 KiB: send a shorter URL or fewer headers',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    msg: 'The request took too long to arrive',
  },
};

/** Longest part of an unparsed request line the access log keeps (a refused line may be 100 KB of query). */
const MAX_LOGGED_TARGET = 256;

/**
 * Node's HTTP parser refuses a request before Fastify has one (headers over 16 KiB — a long query string among
 * them — or an unknown method): answer in the envelope, with a request id, log it as every answer is logged, and
 * close the connection.
 */
export function clientErrorHandler(
  log: Logger,
): (error: Error & { code?: string; rawPacket?: unknown }, socket: Socket) => void {
  return (error, socket) => answerClientError(log, error, socket);
}

function answerClientError(
  log: Logger,
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
  const { status, reason, msg } = known ?? {
    status: 400,
    reason: 'Bad Request',
    msg: 'The request is not valid HTTP (an unknown method, or a malformed request line or header)',
  };
  const requestId = randomUUID();
  const body = JSON.stringify({ code: status, msg, request_id: requestId } satisfies ErrorEnvelope);
  if (!socket.writable || socket.bytesWritten > 0) {
    socket.destroy(error);
    return;
  }
  logAnswer(log, { requestId, ...requestLineOf(error.rawPacket), status, ms: 0 });
  // end(), not destroy(): closing with the rest of a long request unread would make the kernel reset the
  // connection, and the caller would see the reset instead of this answer. What still arrives is read and
  // dropped until the caller closes, or for a few seconds at most.
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.resume();
  setTimeout(() => socket.destroy(), DRAIN_MS).unref();
}

const DRAIN_MS = 5_000;

/** The method and target of a request Node could not parse, as far as they can be read from its first bytes. */
function requestLineOf(rawPacket: unknown): { method: string; url: string } {
  if (!Buffer.isBuffer(rawPacket)) return { method: '', url: '' };
  const line =
    rawPacket
      .subarray(0, MAX_LOGGED_TARGET + 32)
      .toString('latin1')
      .split('\r\n')[0] ?? '';
  const [method = '', url = ''] = line.split(' ');
  return { method: method.slice(0, 32), url: url.slice(0, MAX_LOGGED_TARGET) };
}
