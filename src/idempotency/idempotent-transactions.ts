import { HttpStatus, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { RetryLaterException } from '../common/http/retry-later.exception';
import { IdempotencyRepository } from './idempotency.repository';
import { IDEMPOTENCY_WINDOW_MS, IdempotentRequest } from './idempotent-request';

/**
 * What a write inside the transaction answers. (Nothing runs after the commit on its behalf: what it queued for
 * delivery, the outbox signals once committed, notify/notification-outbox.ts.)
 */
export interface IdempotentWork<R> {
  /** The route's answer (its `data`): stored with the key, so it must come back the same from JSON. */
  response: R;
}

export const KEY_IN_PROGRESS_MESSAGE =
  'A request with this Idempotency-Key is still being processed; send it again in a moment to get its result';
export const KEY_REUSED_MESSAGE =
  'This Idempotency-Key was used in the last 24 hours for another request (another body or route); a new request needs a new key';
/** Retry-After of the 409 "in progress": a report's transaction takes milliseconds. */
const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

/**
 * One transaction for a write that may carry an Idempotency-Key (docs: Stripe's idempotent requests, IETF
 * draft-ietf-httpapi-idempotency-key-header). With a key, in the same transaction as the write: the key's lock (a
 * second request with the key while the first runs: 409), the key's row (the same request within 24 hours: the
 * first answer again, nothing written; another request: 422), then the write and the key's row with its answer.
 * The key is committed with what it created or not at all, so a retry after a timeout, a crash or a lost answer
 * either finds the first answer or creates the thing once. Only successes are kept: a request that failed wrote
 * nothing, and its retry runs again.
 */
@Injectable()
export class IdempotentTransactions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: IdempotencyRepository,
    private readonly clock: Clock,
  ) {}

  async run<R>(
    request: IdempotentRequest | undefined,
    work: (manager: EntityManager) => Promise<IdempotentWork<R>>,
  ): Promise<R> {
    const outcome = await this.dataSource.transaction(async (manager): Promise<IdempotentWork<R>> => {
      if (!request) return work(manager);
      if (!(await this.keys.tryLock(manager, request))) {
        throw new RetryLaterException(
          KEY_IN_PROGRESS_MESSAGE,
          IN_PROGRESS_RETRY_AFTER_SECONDS,
          HttpStatus.CONFLICT,
        );
      }
      const now = this.clock.now();
      const stored = await this.keys.find(manager, request, new Date(now - IDEMPOTENCY_WINDOW_MS));
      if (stored) {
        if (stored.fingerprint !== request.fingerprint)
          throw new UnprocessableEntityException(KEY_REUSED_MESSAGE);
        return { response: stored.response as R };
      }
      const done = await work(manager);
      await this.keys.insert(manager, request, done.response, new Date(now));
      return done;
    });
    return outcome.response;
  }
}
