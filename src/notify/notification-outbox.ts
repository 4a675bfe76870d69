import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import {
  LeadingWrite,
  OutboxRepository,
  OutgoingNotification,
  QueuedNotification,
} from './delivery/queue/outbox.repository';

export type { LeadingWrite, OutgoingNotification, QueuedNotification };

/**
 * The one way into the delivery queue: writes notifications inside the caller's transaction and marks their bots
 * due in the same commit, so that once the caller's transaction commits, the messages will be delivered whatever
 * happens next. Rows get ascending ids in the order given: the parts of a message (one `partOf`) leave in id order.
 * One statement for any number of rows, and for the write that causes them if the caller hands it over
 * (LeadingWrite): this is on the path of every report. The SQL is OutboxRepository's.
 */
@Injectable()
export class NotificationOutbox {
  constructor(
    private readonly rows: OutboxRepository,
    private readonly clock: Clock,
  ) {}

  async enqueue(
    manager: EntityManager,
    messages: readonly OutgoingNotification[],
    leading?: LeadingWrite,
  ): Promise<QueuedNotification[]> {
    if (messages.length === 0 && !leading) return [];
    // Due now by the dispatcher's clock (the database's now() is not the clock tests control).
    return this.rows.enqueue(manager, messages, new Date(this.clock.now()), leading);
  }
}
