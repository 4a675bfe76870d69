import { Injectable } from '@nestjs/common';
import { SendResult } from '../queue/claimed-notification';

/**
 * Results of sends made outside the dispatcher's rounds (the test button's) that their sender could not record,
 * handed to the rounds, which record them as their own (NotificationDispatcher). A relay rather than the dispatcher
 * itself, because the dispatcher depends on the bots (their credentials), and the bots on the test button.
 */
@Injectable()
export class LateResults {
  private recorder: ((result: SendResult) => void) | null = null;

  /** The dispatcher, once: it records what is handed over. */
  recordWith(recorder: (result: SendResult) => void): void {
    this.recorder = recorder;
  }

  /** False when nobody records it (no dispatcher). */
  hand(result: SendResult): boolean {
    if (!this.recorder) return false;
    this.recorder(result);
    return true;
  }
}
