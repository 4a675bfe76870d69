export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Where the database is: a PostgreSQL server, or the embedded PostgreSQL kept in `DATA_DIR/db`. */
export type DatabaseTarget = { kind: 'server'; url: string } | { kind: 'embedded'; directory: string };

export interface DeliveryConfig {
  /** Waits before the 2nd, 3rd, … attempt after a transient error; when they run out the notification fails. */
  readonly retryScheduleMs: readonly number[];
  /** Safety-net polling interval: new reports wake the dispatcher at once, this catches everything else. */
  readonly pollIntervalMs: number;
  /**
   * Added to the 60-second window of the per-bot rate limit: a send is counted from when it was claimed, and
   * DingTalk counts it from when it arrives, a little later. Must exceed that delay (see
   * notify/delivery/dispatcher/notification-dispatcher.ts).
   */
  readonly rateWindowMarginMs: number;
  /** Bots served at the same time by one instance (each bot sends one message at a time). */
  readonly concurrency: number;
  /**
   * How long a bot that DingTalk throttled gets no message: DingTalk's own 10 minutes. Shorter only for tests
   * that throttle on purpose (npm run test:reliability), where the simulator's throttle ends when the test says.
   */
  readonly throttlePauseMs: number;
  /**
   * How long a claim holds a notification (by the database's clock) unless renewed; renewed every quarter of it
   * while the send is in flight. Also how soon the claims of an instance that died are taken over.
   */
  readonly leaseMs: number;
  /** A notification still waiting this long after it was queued is given up: `failed`, reason `expired`. */
  readonly maxAgeMs: number;
}

/**
 * The service's configuration, validated once at boot (see load-config.ts) and injected where needed.
 * Nothing else in src/ reads process.env.
 */
export class AppConfig {
  /** Names this process among several on one database (leases on notifications and Stream connections). */
  readonly instanceId!: string;
  readonly port!: number;
  readonly host!: string;
  readonly database!: DatabaseTarget;
  readonly dataDir!: string;
  /** HS256 key for bearer tokens. */
  readonly jwtSecret!: string;
  /** 32-byte AES-256-GCM key for bot secrets at rest, and its id (kept beside each sealed value for rotation). */
  readonly encryptionKey!: Buffer;
  readonly encryptionKeyId!: string;
  /** True when the keys were generated during this start (first start on a fresh DATA_DIR). */
  readonly keysGenerated!: boolean;
  readonly dingtalk!: {
    readonly oapiUrl: string;
    readonly apiUrl: string;
    readonly webhookOrigins: readonly string[];
    /** Deadline of every call to DingTalk. */
    readonly timeoutMs: number;
    /**
     * DingTalk calls the whole cluster may make per second: a token bucket shared through the database, one second's
     * worth deep. DingTalk blocks a source IP past 10,000 calls in 20 s (docs/dingtalk/README.md, unconfirmed
     * numbers) and replicas behind one NAT share that ceiling, so the default stays well below 500/s.
     */
    readonly callBudgetPerSecond: number;
    /**
     * Calls one app may make to one of its robot APIs per second (groupMessages/send; asyncsend_v2), across the
     * cluster: DingTalk throttles per app and API (docs/dingtalk-app-limits.md, row 3: 20/s on the standard edition,
     * unconfirmed). An app serves every store of a chain, so this is shared by all of its bots.
     */
    readonly appApiCallsPerSecond: number;
    /**
     * Work-notification recipients one app may address per minute, across the cluster (docs/dingtalk-app-limits.md,
     * row 12: 5,000, its scope unconfirmed; past it DingTalk answers 0 and delivers nothing).
     */
    readonly workNotificationRecipientsPerMinute: number;
    /** How long every send of the cluster waits after DingTalk blocked the IP, unless its answer names the wait. */
    readonly ipBlockPauseMs: number;
    /** The longest Retry-After (or block `wait`) the service honours: a longer one is cut to this. */
    readonly maxRetryAfterMs: number;
    /**
     * Waits between the `getsendresult` polls after a work notification (the first poll follows the send at once);
     * the polls together stay within `timeoutMs`.
     */
    readonly sendResultWaitsMs: readonly number[];
  };
  /** How the delivery queue works: retries, rate limits, polling. */
  readonly delivery!: DeliveryConfig;
  /** Kitchen confirmation's links (docs/confirmation.md). */
  readonly confirmation!: {
    /**
     * The service's address as staff phones reach it (PUBLIC_URL): a webhook bot's confirmation buttons open
     * `<publicUrl>/c/<token>`. Null: webhook bots get no buttons (their reports say why).
     */
    readonly publicUrl: string | null;
    /** HMAC key of the links' tokens: derived from the token key, so every instance has the same one. */
    readonly linkKey: Buffer;
  };
  /** IANA time zone of the stores: what "today" and a report's date mean (今日, the reports' date filters). */
  readonly reportTimeZone!: string;
  /** Finished notifications, their attempts and received bot messages older than this are deleted; 0: never. */
  readonly retentionDays!: number;
  readonly logLevel!: LogLevel;
  readonly logFile?: string;

  constructor(values: AppConfig) {
    Object.assign(this, values);
    Object.freeze(this);
  }
}
