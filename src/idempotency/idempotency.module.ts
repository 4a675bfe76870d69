import { Module } from '@nestjs/common';
import { IdempotencyExpiryJob } from './idempotency-expiry.job';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotentTransactions } from './idempotent-transactions';

/** Idempotency-Key for the POSTs that create something: the key is written in the transaction of what it created. */
@Module({
  providers: [IdempotencyRepository, IdempotentTransactions, IdempotencyExpiryJob],
  exports: [IdempotentTransactions],
})
export class IdempotencyModule {}
