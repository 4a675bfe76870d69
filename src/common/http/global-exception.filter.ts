import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE_MESSAGE,
  isDatabaseUnavailable,
} from '../../database/database-unavailable';
import { ErrorEnvelope } from './api-envelope';
import { RetryLaterException } from './retry-later.exception';
import { ValidationFailedException } from './validation-failed.exception';

/**
 * Every error leaves in the error envelope (api-envelope.ts). HttpExceptions keep their status and message; errors
 * raised by Fastify before Nest sees the request (malformed JSON, body too large, wrong content type) keep their
 * 4xx; a database that cannot be reached is a 503 with Retry-After (the request may simply be sent again); anything
 * else is logged with the request id and answered as a bare 500 — no stack, no SQL.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body } = toErrorEnvelope(exception, request.id);
    const where = { request_id: request.id, method: request.method, url: request.url };
    const databaseAway = !(exception instanceof HttpException) && isDatabaseUnavailable(exception);
    if (databaseAway) {
      this.logger.warn({ ...where, err: exception, msg: 'The database cannot be reached: answered 503' });
    } else if (status >= 500) {
      this.logger.error({ err: exception, ...where });
    }
    const retryAfter =
      exception instanceof RetryLaterException
        ? exception.retryAfterSeconds
        : databaseAway
          ? DATABASE_RETRY_AFTER_SECONDS
          : undefined;
    if (retryAfter !== undefined) {
      void reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
    }
    void reply.status(status).send(body);
  }
}

export function toErrorEnvelope(
  exception: unknown,
  requestId: string,
): { status: number; body: ErrorEnvelope } {
  if (exception instanceof ValidationFailedException) {
    return {
      status: HttpStatus.BAD_REQUEST,
      body: {
        code: HttpStatus.BAD_REQUEST,
        msg: exception.message,
        errors: exception.fieldErrors,
        request_id: requestId,
      },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // Nest wraps Fastify's body-parsing errors in an HttpException whose cause keeps Fastify's code.
    const msg = friendlyFastifyMessage(exception.cause) ?? messageOf(exception);
    return { status, body: { code: codeOf(exception, status), msg, request_id: requestId } };
  }
  const fastifyStatus = clientErrorStatusOf(exception);
  if (fastifyStatus !== undefined) {
    return {
      status: fastifyStatus,
      body: { code: fastifyStatus, msg: fastifyMessage(exception, fastifyStatus), request_id: requestId },
    };
  }
  if (isDatabaseUnavailable(exception)) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      body: {
        code: HttpStatus.SERVICE_UNAVAILABLE,
        msg: DATABASE_UNAVAILABLE_MESSAGE,
        request_id: requestId,
      },
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { code: HttpStatus.INTERNAL_SERVER_ERROR, msg: 'Internal server error', request_id: requestId },
  };
}

/** A domain exception may carry its own non-zero `code` (e.g. a DingTalk errcode); otherwise the HTTP status. */
function codeOf(exception: HttpException, status: number): number {
  const response = exception.getResponse();
  if (
    typeof response === 'object' &&
    response !== null &&
    'code' in response &&
    typeof response.code === 'number' &&
    response.code !== 0
  ) {
    return response.code;
  }
  return status;
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const message = response.message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.join('; ');
  }
  return exception.message;
}

function clientErrorStatusOf(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const status = (exception as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body is larger than 1 MiB',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The request body must be JSON: send Content-Type: application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Request body is empty: send a JSON object',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Malformed JSON in request body',
};

function friendlyFastifyMessage(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? FASTIFY_MESSAGES[code] : undefined;
}

/** Fastify's own messages name internals; say what is wrong with the request instead. */
function fastifyMessage(exception: unknown, status: number): string {
  const friendly = friendlyFastifyMessage(exception);
  if (friendly) return friendly;
  if (exception instanceof SyntaxError) return 'Malformed JSON in request body';
  if (status === 404) return 'Not found';
  return exception instanceof Error && exception.message ? exception.message : 'Bad request';
}
