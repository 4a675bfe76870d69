import { HttpStatus } from '@nestjs/common';
import { ErrorExample } from '../common/http/api-docs.decorators';
import { BAD_KEY_MESSAGE } from './idempotency-key.decorator';
import { KEY_IN_PROGRESS_MESSAGE, KEY_REUSED_MESSAGE } from './idempotent-transactions';

/** The answers an Idempotency-Key can give, as the documented examples of a route that takes one. */
export const IDEMPOTENCY_ERRORS: ErrorExample[] = [
  {
    status: HttpStatus.BAD_REQUEST,
    msg: `Invalid request: ${BAD_KEY_MESSAGE}`,
    errors: [{ field: 'Idempotency-Key', message: BAD_KEY_MESSAGE }],
  },
  { status: HttpStatus.CONFLICT, msg: KEY_IN_PROGRESS_MESSAGE },
  { status: HttpStatus.UNPROCESSABLE_ENTITY, msg: KEY_REUSED_MESSAGE },
];
