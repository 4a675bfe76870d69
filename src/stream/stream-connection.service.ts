import { Inject, Injectable, Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ClockScheduler } from '../common/scheduling/clock-scheduler';
import { BotConnections } from '../dingtalk-bot/bot-connections';
import { DingTalkAppService } from '../dingtalk-app/dingtalk-app.service';
import { DownstreamFrame } from '../dingtalk/stream/stream-frames';
import { AppEvent, AppEvents } from '../events/app-events';
import { StreamTransport } from '../dingtalk/stream/stream-transport';
import { ClusterConnectionState, stateOnLease } from './cluster-connection-state';
import { fingerprint } from './connectable-app';
import { StreamAppState, StreamAppSupervisor, SupervisedApp } from './stream-app.supervisor';
import { HeldApp, STREAM_BOTS, StreamBots } from './stream-bots';
import { STREAM_CALLBACKS, StreamCallbackHandler } from './stream-callback';
import { countByStatus, registerConnectionGauge } from './stream-connection-gauge';
import {
  AppLeaseRow,
  LEASE_RENEW_MS,
  STREAM_LEASE_RENEWAL,
  StreamLeaseRepository,
} from './stream-lease.repository';

export interface StreamSummary {
  connected: number;
  total: number;
}

/** At most this many apps connect at once at start-up, so that 200 apps do not open 200 sockets at once. */
export const STARTUP_CONCURRENCY = 10;

interface Supervised {
  supervisor: StreamAppSupervisor;
  /** What the connection was made with: a different fingerprint means new credentials, so a new connection. */
  fingerprint: string;
  /** The lease could not be renewed: another instance may have the app now, so this one must let go. */
  leaseLost: boolean;
  /** When this instance took the app's lease. */
  heldSince: number;
  /** The app's enabled bots, as of the last sync: each is told what becomes of the connection (its health). */
  botIds: number[];
}

/** What a connection of an app needs: the app with its secret, and its enabled bots. */
interface Wanted {
  target: SupervisedApp;
  botIds: number[];
}

/** A state report to the lease row in flight for an app; `again` when the state changed once more meanwhile. */
interface Report {
  again: boolean;
}

/**
 * Keeps one DingTalk Stream connection per app that has an enabled stream bot, however many stores' bots it serves
 * (docs/stream-connections.md). Every change — start-up, a bot created, updated or deleted, an app's new secret,
 * shutdown — goes through `sync(appId)`, which compares the app and its bots as stored with the connection that
 * exists and starts, stops or restarts it. Syncs of one app run one after the other (a promise chain per app), so
 * concurrent updates end in the state of the last one, with at most one connection. Started and stopped by
 * DingTalkBotModule's lifecycle hooks, through the BotConnections port it implements.
 */
@Injectable()
export class StreamConnectionService implements BotConnections {
  private readonly logger = new Logger(StreamConnectionService.name);
  private readonly supervised = new Map<number, Supervised>();
  private readonly chains = new Map<number, Promise<unknown>>();
  private readonly reports = new Map<number, Report>();
  /** Connection states told to the bots' health and not yet applied by it (announce): stop() waits for them. */
  private readonly announcing = new Set<Promise<void>>();
  private running = false;
  private startup: Promise<void> | null = null;

  constructor(
    private readonly apps: DingTalkAppService,
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
   * Connects every app with an enabled stream bot, a few at a time, in the background: a DingTalk outage must not
   * hold the HTTP API back (each attempt is bounded by the DingTalk timeout, and the supervisors keep retrying).
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
    // Each stopped connection told its bots' health `disconnected`, which that module applies in a transaction of
    // its own (ConnectionHealthListener). The database closes after this module, and TypeORM's close gives every
    // connection still in use back to the pool with its statement in flight: a transaction waiting there would
    // have its statements queued behind another's on one connection, or cut off.
    while (this.announcing.size > 0) await Promise.all(this.announcing);
  }

  /** Brings app `appId`'s connection in line with the stored app and its bots; serialised per app. */
  sync(appId: number): Promise<void> {
    const previous = this.chains.get(appId) ?? Promise.resolve();
    const next = previous.then(() => this.apply(appId));
    const settled = next.catch((error: unknown) => {
      this.logger.error(
        `Stream app_id=${appId} could not be synchronised: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    this.chains.set(appId, settled);
    void settled.then(() => {
      if (this.chains.get(appId) === settled) this.chains.delete(appId);
    });
    return settled;
  }

  /** Waits until the first connection attempt of each app started so far has an outcome (tests, start-up). */
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

  /** The connection state of an app this instance supervises, or null. */
  stateOf(appId: number): StreamAppState | null {
    return this.supervised.get(appId)?.supervisor.state ?? null;
  }

  /**
   * Where and how an app is connected, for the cluster-wide views: this instance's own state for an app it holds
   * (fresher than its last report), else what the holder last wrote onto the lease while that lease is valid; an
   * expired lease means its instance died and nobody holds the app until another takes it.
   */
  clusterState(appId: number, lease: AppLeaseRow | undefined): ClusterConnectionState {
    const own = this.supervised.get(appId);
    if (own && !own.leaseLost) {
      return { instanceId: this.config.instanceId, heldSince: own.heldSince, state: own.supervisor.state };
    }
    return stateOnLease(lease, this.clock.now());
  }

  private async stopAll(): Promise<void> {
    await Promise.all([...this.supervised.keys()].map((id) => this.sync(id)));
    await Promise.all([...this.chains.values()]);
  }

  private async connectAll(): Promise<void> {
    const ids = await this.streamBots.connectedAppIds();
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
      `Stream clients initialized: apps=${total}, success=${success}${elsewhere > 0 ? `, held_by_other_instances=${elsewhere}` : ''}`,
    );
  }

  /** The app as its connection needs it, while it exists and has an enabled stream bot; null otherwise. */
  private async wanted(appId: number): Promise<Wanted | null> {
    if (!this.running) return null;
    const bots = (await this.streamBots.streamBots({ appId })).filter((bot) => bot.isEnabled);
    if (bots.length === 0) return null;
    const app = await this.apps.find(appId);
    if (!app) return null;
    return { target: { id: appId, app: this.apps.credentials(app) }, botIds: bots.map((bot) => bot.id) };
  }

  private async apply(appId: number): Promise<void> {
    const wanted = await this.wanted(appId);
    const current = this.supervised.get(appId);
    const leaseLost = current?.leaseLost === true;
    if (current && wanted && current.fingerprint === fingerprint(wanted.target) && !leaseLost) {
      this.followBots(current, wanted.botIds);
      return;
    }
    if (current) {
      this.supervised.delete(appId);
      await current.supervisor.stop();
      this.logger.log(
        `Stream app stopped app_id=${appId}${leaseLost ? ' (its lease went to another instance)' : ''}`,
      );
    }
    if (!wanted) {
      if (current) await this.releaseLease(appId);
      return;
    }
    // One instance per app: another instance holds it, so leave it; the lease job retries if that lease lapses.
    if (!(await this.leases.acquire(appId))) return;
    const entry: Supervised = {
      supervisor: new StreamAppSupervisor(
        wanted.target,
        this.transport,
        this.clock,
        (target, frame, ack) => this.dispatch(target, frame, ack),
        (target, state) => {
          this.report(target.id);
          this.announce(entry.botIds, state);
        },
      ),
      fingerprint: fingerprint(wanted.target),
      leaseLost: false,
      heldSince: this.clock.now(),
      botIds: wanted.botIds,
    };
    this.supervised.set(appId, entry);
    entry.supervisor.start();
  }

  /** Bots that joined a connected app learn its connection's state; those that left learn it is not theirs now. */
  private followBots(current: Supervised, botIds: number[]): void {
    const joined = botIds.filter((id) => !current.botIds.includes(id));
    const left = current.botIds.filter((id) => !botIds.includes(id));
    current.botIds = botIds;
    this.announce(joined, current.supervisor.state);
    this.announce(left, {
      ...current.supervisor.state,
      status: 'disconnected',
      statusSince: this.clock.now(),
    });
  }

  /**
   * Writes a held app's new connection state onto its lease at once, so that the other instances' views follow
   * (the lease job writes it every round as well). One write per app at a time, always of the state of the
   * connection supervised now: a stopped supervisor's last word never overwrites its successor's.
   */
  private report(appId: number): void {
    const inFlight = this.reports.get(appId);
    if (inFlight) {
      inFlight.again = true;
      return;
    }
    const entry: Report = { again: true };
    this.reports.set(appId, entry);
    void (async () => {
      try {
        while (entry.again) {
          entry.again = false;
          const current = this.supervised.get(appId);
          if (!current || current.leaseLost) break;
          await this.leases.report({ appId, state: { ...current.supervisor.state } });
        }
      } catch (error) {
        if (this.running) {
          this.logger.warn(
            `Stream app_id=${appId}: state not written to its lease (${error instanceof Error ? error.message : String(error)}); the lease job writes it next round`,
          );
        }
      } finally {
        this.reports.delete(appId);
      }
    })();
  }

  /**
   * Tells each bot's health (bot-health module) what became of its app's connection; the connection is kept whatever
   * they make of it.
   */
  private announce(botIds: readonly number[], state: StreamAppState): void {
    for (const botId of botIds) {
      const told: Promise<void> = this.events
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
        })
        .finally(() => this.announcing.delete(told));
      this.announcing.add(told);
    }
  }

  /** At shutdown the database may already be closing: an unreleased lease simply expires. */
  private async releaseLease(appId: number): Promise<void> {
    try {
      await this.leases.release(appId);
    } catch (error) {
      this.logger.warn(
        `Stream app_id=${appId}: lease not released (${error instanceof Error ? error.message : String(error)}); it expires by itself`,
      );
    }
  }

  /**
   * The lease job: renews what this instance holds, gives up what it lost, follows what changed of its apps on other
   * instances, and takes apps whose instance died (or that gained their first enabled bot where the lease could not
   * be taken).
   */
  private async renewLeases(): Promise<void> {
    if (!this.running) return;
    const held = [...this.supervised.keys()];
    const renewed = await this.leases.renew(
      [...this.supervised.entries()].map(([appId, { supervisor }]) => ({
        appId,
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
    await this.followChangesElsewhere([...renewed]);
    for (const id of await this.leases.orphans()) {
      if (!this.supervised.has(id)) void this.sync(id);
    }
  }

  /**
   * A change of an app or its bots served by another instance reaches this one, the holder, only here: the apps it
   * holds are read again (one statement), and each whose credentials or enabled bots differ from its connection's is
   * synced, which decides on what is stored then (a reconnect with the new credentials, a stop and the lease given
   * back when no enabled bot is left, or the bots' health told). A failed read changes nothing: the connections stay
   * as they are until a round reads the apps.
   */
  private async followChangesElsewhere(appIds: number[]): Promise<void> {
    if (appIds.length === 0) return;
    let stored: HeldApp[];
    try {
      stored = await this.streamBots.heldApps(appIds);
    } catch (error) {
      this.logger.warn(
        `Stream apps not re-read (${error instanceof Error ? error.message : String(error)}); their connections stay, the next round reads them`,
      );
      return;
    }
    const byId = new Map(stored.map((app) => [app.appId, app]));
    for (const appId of appIds) {
      const current = this.supervised.get(appId);
      if (!current || current.leaseLost) continue;
      const change = this.changeOf(appId, current, byId.get(appId));
      if (change === null) continue;
      this.logger.log(`Stream app_id=${appId}: ${change} as stored; synchronising its connection`);
      void this.sync(appId);
    }
  }

  /** What differs between an app as stored and its connection, in words (never a secret), or null. */
  private changeOf(appId: number, current: Supervised, stored: HeldApp | undefined): string | null {
    if (!stored) return 'the app is gone';
    if (stored.enabledBotIds.length === 0) return 'no enabled bot uses the app';
    let now: string;
    try {
      now = fingerprint({ id: appId, app: this.apps.credentials(stored) });
    } catch (error) {
      // A secret that cannot be opened now could not be connected with either: keep what runs.
      this.logger.warn(
        `Stream app_id=${appId}: stored credentials not readable (${error instanceof Error ? error.message : String(error)}); the connection stays`,
      );
      return null;
    }
    if (now !== current.fingerprint) return 'new credentials';
    const bots = stored.enabledBotIds;
    const same = bots.length === current.botIds.length && bots.every((id) => current.botIds.includes(id));
    return same ? null : 'its enabled bots changed';
  }

  /**
   * Which store the callback is for, and what it means, is the receiving side's business; it is ACKed already, or
   * (a card press) by its handler once recorded (`ack`).
   */
  private dispatch(target: SupervisedApp, frame: DownstreamFrame, ack: () => void): void {
    this.callbacks
      .handle({
        appId: target.id,
        clientId: target.app.clientId,
        topic: frame.headers.topic,
        messageId: frame.headers.messageId,
        data: frame.data,
        ack,
      })
      .catch((error: unknown) => {
        this.logger.error(
          `Stream app_id=${target.id} callback ${frame.headers.messageId} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
  }

  private countByStatus(): ReturnType<typeof countByStatus> {
    return countByStatus([...this.supervised.values()].map(({ supervisor }) => supervisor.state.status));
  }
}
