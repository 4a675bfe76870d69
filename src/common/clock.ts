import { Injectable } from '@nestjs/common';

/**
 * The time source of everything that waits or expires (token lifetimes, rate limits, backoff). Tests replace it
 * to make time controllable; production uses the system clock.
 */
export abstract class Clock {
  abstract now(): number;
}

@Injectable()
export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}
