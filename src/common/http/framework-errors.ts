import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorEnvelope } from './api-envelope';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * Errors Fastify answers by itself, before any hook or Nest sees the request, in the same envelope as every other
 * error. The router's: a URL that is not valid percent-encoded UTF-8 (400) and a path parameter over Fastify's
 * 100 characters (414).
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 400;
  const msg =
    error.code === 'FST_ERR_BAD_URL'
      ? 'The URL is not valid: a %-escape in it is not UTF-8'
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'A path parameter is longer than 100 characters'
        : 'Bad request';
  const body: ErrorEnvelope = { code: status, msg, request_id: request.id };
  void reply.status(status).header(REQUEST_ID_HEADER, request.id).send(body);
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

/**
 * Node's HTTP parser refuses a request before Fastify has one (headers over 16 KiB — a long query string among
 * them — or an unknown method): answer in the envelope, with a request id, and close the connection.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
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
