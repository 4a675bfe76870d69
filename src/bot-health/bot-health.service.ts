import { Injectable, Logger } from '@nestjs/common';
import { AppEvent, AppEvents } from '../events/app-events';
import { BotHealthChange, BotHealthRepository, BotHealthState } from './bot-health.repository';
import { aged, combine, HealthSignal, HealthSource, sameSignal, worse } from './health-signals';
import { PerBotSerial } from './per-bot-serial';

/**
 * Keeps each bot's health (docs/bot-health.md): what its sources observe is applied to its row one observation at a
 * time (in this process, in the order observed; across instances, under the row's lock, an observation older than
 * the one applied being dropped), and a change of health is announced (`bot_health.changed`) once committed, by the
 * instance that made it: once per change.
 */
@Injectable()
export class BotHealthService {
  private readonly logger = new Logger(BotHealthService.name);
  private readonly serial = new PerBotSerial();

  constructor(
    private readonly repository: BotHealthRepository,
    private readonly events: AppEvents,
  ) {}

  /** A new bot is healthy. */
  async added(botId: number, at: number): Promise<void> {
    await this.repository.add(botId, at);
  }

  /**
   * Applies what `source` observed of bot `botId` at `at`: `next` turns that source's previous signal into its new
   * one (null: nothing wrong).
   */
  observe(
    botId: number,
    source: HealthSource,
    at: number,
    next: (previous: HealthSignal | null) => HealthSignal | null,
  ): Promise<void> {
    return this.serial.run(botId, () =>
      this.apply(botId, at, (state) => {
        const seen = state.seenAt[source];
        // Another instance applied a later observation of this source already: this one is out of date.
        if (seen !== null && at < seen) return null;
        return {
          signals: { ...state.signals, [source]: next(state.signals[source]) },
          seenAt: { ...state.seenAt, [source]: at },
        };
      }),
    );
  }

  /** Drops what `sources` said of bot `botId`: nothing is expected of them any more. */
  clear(botId: number, sources: readonly HealthSource[], at: number): Promise<void> {
    return this.serial.run(botId, () =>
      this.apply(botId, at, (state) => {
        const signals = { ...state.signals };
        for (const source of sources) signals[source] = null;
        return { signals, seenAt: state.seenAt };
      }),
    );
  }

  /**
   * Applies what time alone does to bot `botId`'s signals at `now` (a pause over, a connection reconnecting for
   * `unreachableAfterMs` or longer).
   */
  age(botId: number, now: number, unreachableAfterMs: number): Promise<void> {
    const after = unreachableAfterMs;
    return this.serial.run(botId, () =>
      this.apply(botId, now, (state) => ({
        signals: {
          delivery: aged(state.signals.delivery, now, after),
          connection: aged(state.signals.connection, now, after),
        },
        seenAt: state.seenAt,
      })),
    );
  }

  /** Whether observations of `botId` are waiting to be applied in this process. */
  busy(botId: number): boolean {
    return this.serial.busy(botId);
  }

  private async apply(
    botId: number,
    at: number,
    next: (state: BotHealthState) => Pick<BotHealthState, 'signals' | 'seenAt'> | null,
  ): Promise<void> {
    const change = await this.repository.change(botId, at, (state) => {
      const changed = next(state);
      if (!changed || sameSignals(state.signals, changed.signals)) return null;
      return { ...settle(state, changed.signals, at), seenAt: changed.seenAt };
    });
    if (change && change.before.health !== change.after.health) await this.announce(change);
  }

  private async announce({ botId, before, after }: BotHealthChange): Promise<void> {
    const line = `Bot ${botId} is ${after.health} (was ${before.health})${after.reason ? `: ${after.reason}` : ''}`;
    if (after.health === 'healthy') this.logger.log(line);
    else this.logger.warn(`${line}${after.detail ? ` (${after.detail})` : ''}`);
    await this.events.emit(AppEvent.BotHealthChanged, {
      botId,
      before: before.health,
      after: after.health,
      reason: after.reason,
      hint: after.hint,
      since: after.since,
    });
  }
}

/**
 * The row with new signals: the health they make, since when (kept while the health stays; when it worsens, from
 * when the signal that worsened it began; when it improves, from now).
 */
function settle(
  state: BotHealthState,
  signals: BotHealthState['signals'],
  at: number,
): Omit<BotHealthState, 'seenAt'> {
  const combined = combine(signals.delivery, signals.connection);
  let since = state.since;
  if (combined.health !== state.health) {
    since = worse(combined.health, state.health) ? Math.max(combined.signalSince ?? at, state.since) : at;
  }
  return {
    health: combined.health,
    reason: combined.reason,
    detail: combined.detail,
    hint: combined.hint,
    since,
    changedAt: at,
    signals,
  };
}

function sameSignals(a: BotHealthState['signals'], b: BotHealthState['signals']): boolean {
  return sameSignal(a.delivery, b.delivery) && sameSignal(a.connection, b.connection);
}
