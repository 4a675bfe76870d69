import { Inject, Injectable, Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ClockScheduler } from '../common/scheduling/clock-scheduler';
import { BotConnections } from '../dingtalk-bot/bot-connections';
import { DingTalkBotService } from '../dingtalk-bot/dingtalk-bot.service';
import { DownstreamFrame } from '../dingtalk/stream/stream-frames';
import { AppEvent, AppEvents } from '../events/app-events';
import { StreamTransport } from '../dingtalk/stream/stream-transport';
import { ClusterConnectionState, stateOnLease } from './cluster-connection-state';
import { connectable, fingerprint } from './connectable-bot';
import { StreamBotState, StreamBotSupervisor, SupervisedBot } from './stream-bot.supervisor';
import { STREAM_BOTS, StreamBots } from './stream-bots';
import { STREAM_CALLBACKS, StreamCallbackHandler } from './stream-callback';
import { countByStatus, registerConnectionGauge } from './stream-connection-gauge';
import {
  LEASE_RENEW_MS,
  STREAM_LEASE_RENEWAL,
  StreamBotLeaseRow,
  StreamLeaseRepository,
} from './stream-lease.repository';

export interface StreamSummary {
  connected: number;
  total: number;
}

/** At most this many bots connect at once at start-up, so that 200 bots do not open 200 sockets at once. */
export const STARTUP_CONCURRENCY = 10;

interface Supervised {
  supervisor: StreamBotSupervisor;
  /** What the connection was made with: a different fingerprint means new credentials, so a new connection. */
  fingerprint: string;
  /** The lease could not be renewed: another instance may have the bot now, so this one must let go. */
  leaseLost: boolean;
  /** When this instance took the bot's lease. */
  heldSince: number;
}

/** A state report to the lease row in flight for a bot; `again` when the state changed once more meanwhile. */
interface Report {
  again: boolean;
}

/**
 * Keeps one DingTalk Stream connection per enabled stream bot. Every change — start-up, a bot
 * created, updated or deleted, shutdown — goes through `sync(botId)`, which compares the bot as stored with the
 * connection that exists and starts, stops or restarts it. Syncs of one bot run one after the other (a promise
 * chain per bot), so concurrent updates end in the state of the last one, with at most one connection.
 * Started and stopped by DingTalkBotModule's lifecycle hooks, through the BotConnections port it implements.
 */
@Injectable()
export class StreamConnectionService implements BotConnections {
  private readonly logger = new Logger(StreamConnectionService.name);
  private readonly supervised = new Map<number, Supervised>();
  private readonly chains = new Map<number, Promise<unknown>>();
  private readonly reports = new Map<number, Report>();
  private running = false;
  private startup: Promise<void> | null = null;

  constructor(
    private readonly bots: DingTalkBotService,
    @Inject(STREAM_BOTS) private readonly streamBots: StreamBots,
    private readonly transport: StreamTransport,
    private readonly clock: Clock,
    @Inject(STREAM_CALLBACKS) private readonly callbacks: StreamCallbackHandler,
    private readonly leases: StreamLeaseRepository,
    private readonly scheduler: ClockScheduler,
    private readonly config: AppConfig,
    private readonly events: AppEvents,
    registry: Registry,
  ) {
    registerConnectionGauge(registry, () => this.countByStatus());
  }

  /**
   * Connects every enabled stream bot, a few at a time, in the background: a DingTalk outage must not hold the
   * HTTP API back (each attempt is bounded by the DingTalk timeout, and the supervisors keep retrying).
   */
  start(): void {
    this.running = true;
    this.startup = this.connectAll().catch((error: unknown) => {
      this.logger.error(`Stream start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    this.scheduler.every(STREAM_LEASE_RENEWAL, LEASE_RENEW_MS, () =>
      this.renewLeases().catch((error: unknown) => {
        // The database is away for a moment: the connections stay, the next round tries again.
        this.logger.warn(
          `Stream leases not renewed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }),
    );
  }

  /** At shutdown the lease job has stopped by now (ClockScheduler stops jobs before any module shuts down). */
  async stop(): Promise<void> {
    this.running = false;
    // Stop what runs (which also settles start-up's wait on first attempts), then whatever start-up added meanwhile.
    await this.stopAll();
    await this.startup;
    await this.stopAll();
  }

  /** Brings bot `botId`'s connection in line with the stored bot; serialised per bot. */
  sync(botId: number): Promise<void> {
    const previous = this.chains.get(botId) ?? Promise.resolve();
    const next = previous.then(() => this.apply(botId));
    const settled = next.catch((error: unknown) => {
      this.logger.error(
        `Stream bot_id=${botId} could not be synchronised: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    this.chains.set(botId, settled);
    void settled.then(() => {
      if (this.chains.get(botId) === settled) this.chains.delete(botId);
    });
    return settled;
  }

  /** Waits until the first connection attempt of each bot started so far has an outcome (tests, start-up). */
  async startupDone(): Promise<void> {
    await this.startup;
  }

  summary(): StreamSummary {
    const counts = this.countByStatus();
    return { connected: counts.connected, total: this.supervised.size };
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The connection state of a bot this instance supervises, or null. */
  stateOf(botId: number): StreamBotState | null {
    return this.supervised.get(botId)?.supervisor.state ?? null;
  }

  /**
   * Where and how a stream bot is connected, for the cluster-wide views: this instance's own state for a bot it
   * holds (fresher than its last report), else what the holder last wrote onto the lease while that lease is
   * valid; an expired lease means its instance died and nobody holds the bot until another takes it.
   */
  clusterState(row: StreamBotLeaseRow): ClusterConnectionState {
    const own = this.supervised.get(row.bot_id);
    if (own && !own.leaseLost) {
      return { instanceId: this.config.instanceId, heldSince: own.heldSince, state: own.supervisor.state };
    }
    return stateOnLease(row, this.clock.now());
  }

  private async stopAll(): Promise<void> {
    await Promise.all([...this.supervised.keys()].map((id) => this.sync(id)));
    await Promise.all([...this.chains.values()]);
  }

  private async connectAll(): Promise<void> {
    const ids = await this.streamBots.enabledStreamBotIds();
    const queue = [...ids];
    let total = 0;
    let success = 0;
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined && this.running; id = queue.shift()) {
        await this.sync(id);
        const supervised = this.supervised.get(id);
        if (!supervised) continue;
        total += 1;
        if (await supervised.supervisor.firstAttempt) success += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(STARTUP_CONCURRENCY, ids.length) }, worker));
    const elsewhere = ids.length - total;
    this.logger.log(
      `Stream clients initialized: total=${total}, success=${success}${elsewhere > 0 ? `, held_by_other_instances=${elsewhere}` : ''}`,
    );
  }

  private async apply(botId: number): Promise<void> {
    const bot = this.running ? await this.bots.findWithSecrets(botId) : null;
    const wanted = bot ? connectable(bot) : null;
    const current = this.supervised.get(botId);
    const leaseLost = current?.leaseLost === true;
    if (current && wanted && current.fingerprint === fingerprint(wanted) && !leaseLost) return;
    if (current) {
      this.supervised.delete(botId);
      await current.supervisor.stop();
      this.logger.log(
        `Stream bot stopped bot_id=${botId}${leaseLost ? ' (its lease went to another instance)' : ''}`,
      );
    }
    if (!wanted) {
      if (current) await this.releaseLease(botId);
      return;
    }
    // One instance per bot: another instance holds it, so leave it; the lease job retries if that lease lapses.
    if (!(await this.leases.acquire(botId))) return;
    const supervisor = new StreamBotSupervisor(
      wanted,
      this.transport,
      this.clock,
      (target, frame) => this.dispatch(target, frame),
      (target, state) => {
        this.report(target.id);
        this.announce(target.id, state);
      },
    );
    this.supervised.set(botId, {
      supervisor,
      fingerprint: fingerprint(wanted),
      leaseLost: false,
      heldSince: this.clock.now(),
    });
    supervisor.start();
  }

  /**
   * Writes a held bot's new connection state onto its lease at once, so that the other instances' views follow
   * (the lease job writes it every round as well). One write per bot at a time, always of the state of the
   * connection supervised now: a stopped supervisor's last word never overwrites its successor's.
   */
  private report(botId: number): void {
    const inFlight = this.reports.get(botId);
    if (inFlight) {
      inFlight.again = true;
      return;
    }
    const entry: Report = { again: true };
    this.reports.set(botId, entry);
    void (async () => {
      try {
        while (entry.again) {
          entry.again = false;
          const current = this.supervised.get(botId);
          if (!current || current.leaseLost) break;
          await this.leases.report({ botId, state: { ...current.supervisor.state } });
        }
      } catch (error) {
        if (this.running) {
          this.logger.warn(
            `Stream bot_id=${botId}: state not written to its lease (${error instanceof Error ? error.message : String(error)}); the lease job writes it next round`,
          );
        }
      } finally {
        this.reports.delete(botId);
      }
    })();
  }

  /** Tells the bot's health (bot-health module) what became of its connection; it is kept whatever they make of it. */
  private announce(botId: number, state: StreamBotState): void {
    this.events
      .emit(AppEvent.StreamConnectionChanged, {
        botId,
        status: state.status,
        since: state.statusSince,
        lastError: state.lastError,
        at: this.clock.now(),
      })
      .catch((error: unknown) => {
        this.logger.warn(
          `Stream bot_id=${botId}: connection state not passed on (${error instanceof Error ? error.message : String(error)})`,
        );
      });
  }

  /** At shutdown the database may already be closing: an unreleased lease simply expires. */
  private async releaseLease(botId: number): Promise<void> {
    try {
      await this.leases.release(botId);
    } catch (error) {
      this.logger.warn(
        `Stream bot_id=${botId}: lease not released (${error instanceof Error ? error.message : String(error)}); it expires by itself`,
      );
    }
  }

  /** The lease job: renews what this instance holds, gives up what it lost, and takes bots whose instance died. */
  private async renewLeases(): Promise<void> {
    if (!this.running) return;
    const held = [...this.supervised.keys()];
    const renewed = await this.leases.renew(
      [...this.supervised.entries()].map(([botId, { supervisor }]) => ({
        botId,
        state: { ...supervisor.state },
      })),
    );
    for (const id of held) {
      const supervised = this.supervised.get(id);
      if (supervised && !renewed.has(id)) {
        supervised.leaseLost = true;
        void this.sync(id);
      }
    }
    for (const id of await this.leases.orphans()) {
      if (!this.supervised.has(id)) void this.sync(id);
    }
  }

  /** The callback is already ACKed; what it means is the receiving side's business. */
  private dispatch(bot: SupervisedBot, frame: DownstreamFrame): void {
    this.callbacks
      .handle({
        botId: bot.id,
        storeId: bot.storeId,
        topic: frame.headers.topic,
        messageId: frame.headers.messageId,
        data: frame.data,
      })
      .catch((error: unknown) => {
        this.logger.error(
          `Stream bot_id=${bot.id} callback ${frame.headers.messageId} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
  }

  private countByStatus(): ReturnType<typeof countByStatus> {
    return countByStatus([...this.supervised.values()].map(({ supervisor }) => supervisor.state.status));
  }
}
