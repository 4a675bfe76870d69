import { Injectable } from '@nestjs/common';
import { Histogram, Registry } from 'prom-client';

/** Buckets from a minute to an hour and a half: a kitchen confirms in minutes, escalation is at ten or so. */
const BUCKETS_SECONDS = [15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 5400];

/**
 * How long kitchens take to confirm a report: one observation per report (its first press), labelled only by how it
 * was pressed (`card` or `link`: two series whatever the number of stores; a store's own figures are in the API).
 */
@Injectable()
export class ConfirmationMetrics {
  private readonly toConfirm: Histogram<'via'>;

  constructor(registry: Registry) {
    this.toConfirm = new Histogram({
      name: 'menu_report_seconds_to_confirm',
      help: 'Seconds from a menu report to its first confirmation by the kitchen, by how it was confirmed',
      labelNames: ['via'],
      buckets: BUCKETS_SECONDS,
      registers: [registry],
    });
  }

  confirmed(via: 'card' | 'link', seconds: number): void {
    this.toConfirm.observe({ via }, seconds);
  }
}
