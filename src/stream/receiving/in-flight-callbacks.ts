import { Logger } from '@nestjs/common';
import { StreamCallback } from '../stream-callback';

/**
 * The callbacks a handler is working on. A failure is logged, never thrown back to the connection (whether the
 * callback is ACKed is the handler's business); shutdown waits for what is in flight (each handling is bounded by
 * DingTalk's deadlines, so the wait cannot hang) before the database closes.
 */
export class InFlightCallbacks {
  private readonly inFlight = new Set<Promise<void>>();

  /** `what`: how a failure names the callback in the log, e.g. "Bot message". */
  constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  async run(callback: StreamCallback, handling: Promise<void>): Promise<void> {
    const work = handling.catch((error: unknown) => {
      this.logger.error(
        `${this.what} not handled app_id=${callback.appId} message_id=${callback.messageId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    this.inFlight.add(work);
    try {
      await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}
