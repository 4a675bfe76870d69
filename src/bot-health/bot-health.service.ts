import { Injectable, Logger } from '@nestjs/common';
import { AppEvent, AppEvents } from '../events/app-events';
import { BotHealth, BotHealthReason } from '../events/bot-health.events';
import { BotHealthRepository, BotHealthState, SignalsChange } from './bot-health.repository';
import { aged, HealthSignal, HealthSource, sameSignal } from './health-signals';
import { PerBotSerial } from './per-bot-serial';

/**
 * Keeps each bot's health from what is observed of it outside the recording of sends (docs/bot-health.md): its
 * Stream connection, time alone, its switch-off. (What DingTalk answers its sends is written by the recording itself,
 * SendHealthWriter.) Each observation is applied to the bot's row one at a time (in this process, in the order
 * observed; across instances, under the row's lock, an observation older than the one applied being dropped), and a
 * change of health is announced (`bot_health.changed`) once committed, by the instance that made it: once per change.
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

  /**
   * Drops what `sources` said of bot `botId` at `at`: nothing is expected of them any more (an observation made
   * before `at` and applied after it does not bring it back). `closeAlert`: the bot was switched off, which is not
   * a recovery: the destinations' open alert closes now, without one, so that nothing is told of it once the bot is
   * switched on again (docs/bot-health.md, Alerts).
   */
  clear(botId: number, sources: readonly HealthSource[], at: number, closeAlert = false): Promise<void> {
    return this.serial.run(botId, () =>
      this.apply(botId, at, (state) => cleared(state, sources, at, closeAlert)),
    );
  }

  /**
   * Applies what time alone does to bot `botId`'s signals at `now` (a pause over, a connection reconnecting for
   * `unreachableAfterMs` or longer). A bot found switched off under its row's lock loses its signals and its open
   * alert, as its switch-off does (`clear`): that clear runs after the bot's change commits, so a process stopped in
   * between, or a query refused, would leave it `broken` while off, and alerted at once for that old breakage once
   * switched on again.
   */
  age(botId: number, now: number, unreachableAfterMs: number): Promise<void> {
    const after = unreachableAfterMs;
    return this.serial.run(botId, () =>
      this.apply(botId, now, (state) =>
        state.switchedOff
          ? cleared(state, ['delivery', 'connection'], now, true)
          : {
              signals: {
                delivery: aged(state.signals.delivery, now, after),
                connection: aged(state.signals.connection, now, after),
              },
              seenAt: state.seenAt,
            },
      ),
    );
  }

  /** Tells a change of a bot's health that is committed: a log line and `bot_health.changed`. Never throws. */
  async announce(change: HealthAnnouncement): Promise<void> {
    const { botId, was, health, reason, detail } = change;
    const line = `Bot ${botId} is ${health} (was ${was})${reason ? `: ${reason}` : ''}`;
    if (health === 'healthy') this.logger.log(line);
    else this.logger.warn(`${line}${detail ? ` (${detail})` : ''}`);
    try {
      await this.events.emit(AppEvent.BotHealthChanged, {
        botId,
        before: was,
        after: health,
        reason,
        hint: change.hint,
        since: change.since,
      });
    } catch (error) {
      this.logger.warn(`Bot ${botId}'s change of health not told: ${(error as Error).message}`);
    }
  }

  private async apply(
    botId: number,
    at: number,
    next: (state: BotHealthState) => SignalsChange | null,
  ): Promise<void> {
    const change = await this.repository.change(botId, at, (state) => {
      const changed = next(state);
      if (!changed || (sameSignals(state.signals, changed.signals) && !changed.closeAlert)) return null;
      return changed;
    });
    if (change && change.before.health !== change.after.health) {
      const { before, after } = change;
      const { health, reason, detail, hint, since } = after;
      await this.announce({ botId, was: before.health, health, reason, detail, hint, since });
    }
  }
}

/** A committed change of a bot's health, as it is told. */
export interface HealthAnnouncement {
  botId: number;
  was: BotHealth;
  health: BotHealth;
  reason: BotHealthReason | null;
  detail: string | null;
  hint: string | null;
  /** Since when the bot has had its new health (clock ms). */
  since: number;
}

/** `state` without what `sources` said, observed at `at` (an observation made before then does not bring it back). */
function cleared(
  state: BotHealthState,
  sources: readonly HealthSource[],
  at: number,
  closeAlert: boolean,
): SignalsChange {
  const signals = { ...state.signals };
  const seenAt = { ...state.seenAt };
  for (const source of sources) {
    signals[source] = null;
    seenAt[source] = Math.max(seenAt[source] ?? at, at);
  }
  return { signals, seenAt, closeAlert };
}

function sameSignals(a: BotHealthState['signals'], b: BotHealthState['signals']): boolean {
  return sameSignal(a.delivery, b.delivery) && sameSignal(a.connection, b.connection);
}
