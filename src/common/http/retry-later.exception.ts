import { HttpException, HttpStatus } from '@nestjs/common';

/** "Not now, but then": answered with a `Retry-After` header (seconds) beside the usual error envelope. */
export class RetryLaterException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    status: HttpStatus = HttpStatus.TOO_MANY_REQUESTS,
  ) {
    super(message, status);
  }
}
