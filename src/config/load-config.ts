import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { AppConfig, DatabaseTarget, LOG_LEVELS } from './app-config';
import { ConfigError } from './config-error';
import {
  Env,
  readBaseUrl,
  readChoice,
  readDurations,
  readInteger,
  readOptional,
  readOrigins,
  readString,
  readTimeZone,
} from './environment';
import { loadOrCreateLocalKey, newEncryptionKey, newJwtSecret } from './local-keys';

const MIN_JWT_SECRET_LENGTH = 32;

/**
 * Validates the environment (README, Configuration) and returns the typed configuration. Throws a ConfigError with a
 * one-line message naming the variable. With the embedded database, missing keys are generated into DATA_DIR;
 * with DATABASE_URL they must be given, because several instances must share them.
 */
export function loadConfig(env: Env): AppConfig {
  const dataDir = resolve(readString(env, 'DATA_DIR', './data'));
  const database = readDatabase(env, dataDir);

  const jwt = readKey(env, 'AUTH_JWT_SECRET', database, dataDir, 'jwt-secret', newJwtSecret);
  if (jwt.value.length < MIN_JWT_SECRET_LENGTH) {
    throw new ConfigError('AUTH_JWT_SECRET', `must be at least ${MIN_JWT_SECRET_LENGTH} characters long`);
  }
  const encryption = readKey(
    env,
    'DATA_ENCRYPTION_KEY',
    database,
    dataDir,
    'data-encryption-key',
    newEncryptionKey,
  );
  const encryptionKey = decodeEncryptionKey(encryption.value);
  const timeoutMs = readInteger(env, 'DINGTALK_TIMEOUT_MS', 10_000, 100, 120_000);
  const retryScheduleMs = readDurations(env, 'DELIVERY_RETRY_SCHEDULE', '5s,30s,2m,10m,30m,1h');
  const maxAgeMs = readInteger(env, 'DELIVERY_MAX_AGE_MS', 86_400_000, 60_000, 30 * 86_400_000);
  const retriesMs = retryScheduleMs.reduce((sum, wait) => sum + wait, 0);
  if (maxAgeMs <= retriesMs) {
    // Otherwise a notification would expire before its retry schedule has run out.
    throw new ConfigError(
      'DELIVERY_MAX_AGE_MS',
      `must be longer than the waits of DELIVERY_RETRY_SCHEDULE together (${retriesMs} ms; got ${maxAgeMs})`,
    );
  }
  return new AppConfig({
    instanceId: readString(
      env,
      'INSTANCE_ID',
      `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    ).slice(0, 64),
    port: readInteger(env, 'PORT', 10024, 0, 65535),
    host: readString(env, 'HOST', '0.0.0.0'),
    database,
    dataDir,
    jwtSecret: jwt.value,
    encryptionKey,
    encryptionKeyId: createHash('sha256').update(encryptionKey).digest('hex').slice(0, 8),
    keysGenerated: jwt.generated || encryption.generated,
    dingtalk: {
      oapiUrl: readBaseUrl(env, 'DINGTALK_OAPI_URL', 'https://oapi.dingtalk.com'),
      apiUrl: readBaseUrl(env, 'DINGTALK_API_URL', 'https://api.dingtalk.com'),
      webhookOrigins: readOrigins(env, 'DINGTALK_WEBHOOK_ORIGINS', 'https://oapi.dingtalk.com'),
      timeoutMs,
      callBudgetPerSecond: readInteger(env, 'DINGTALK_CALL_BUDGET_PER_SECOND', 400, 1, 100_000),
      appApiCallsPerSecond: readInteger(env, 'DINGTALK_APP_API_CALLS_PER_SECOND', 20, 1, 100_000),
      workNotificationRecipientsPerMinute: readInteger(
        env,
        'DINGTALK_WORK_NOTIFICATION_RECIPIENTS_PER_MINUTE',
        5_000,
        1,
        1_000_000,
      ),
      ipBlockPauseMs: readInteger(env, 'DINGTALK_IP_BLOCK_PAUSE_MS', 300_000, 1_000, 3_600_000),
      maxRetryAfterMs: readInteger(env, 'DINGTALK_MAX_RETRY_AFTER_MS', 3_600_000, 1_000, 86_400_000),
      sendResultWaitsMs: readDurations(env, 'DINGTALK_SEND_RESULT_WAITS', '500ms,1s,2s,4s'),
    },
    delivery: {
      retryScheduleMs,
      pollIntervalMs: readInteger(env, 'DELIVERY_POLL_INTERVAL_MS', 5_000, 50, 600_000),
      rateWindowMarginMs: readInteger(env, 'DELIVERY_RATE_MARGIN_MS', 2_000, 0, 60_000),
      concurrency: readInteger(env, 'DELIVERY_CONCURRENCY', 128, 1, 1000),
      throttlePauseMs: readInteger(env, 'DELIVERY_THROTTLE_PAUSE_MS', 600_000, 1_000, 3_600_000),
      // A stream send may take a token fetch and two calls, each within the DingTalk deadline; renewed meanwhile.
      leaseMs: readInteger(env, 'DELIVERY_LEASE_MS', 3 * timeoutMs + 5_000, 1_000, 600_000),
      maxAgeMs,
    },
    confirmation: {
      publicUrl: readOptional(env, 'PUBLIC_URL') === undefined ? null : readBaseUrl(env, 'PUBLIC_URL', ''),
      linkKey: confirmationLinkKey(jwt.value),
    },
    reportTimeZone: readTimeZone(env, 'REPORT_TIMEZONE', 'Asia/Shanghai'),
    retentionDays: readInteger(env, 'RETENTION_DAYS', 30, 0, 3650),
    logLevel: readChoice(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    logFile: readOptional(env, 'LOG_FILE'),
  });
}

function readDatabase(env: Env, dataDir: string): DatabaseTarget {
  const url = readOptional(env, 'DATABASE_URL');
  if (url === undefined) return { kind: 'embedded', directory: resolve(dataDir, 'db') };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must be a postgres:// URL (got scheme "${parsed.protocol}")`);
  }
  if (parsed.pathname.length <= 1) {
    throw new ConfigError('DATABASE_URL', 'must name a database, e.g. postgres://user@host:5432/notify');
  }
  return { kind: 'server', url };
}

function readKey(
  env: Env,
  name: string,
  database: DatabaseTarget,
  dataDir: string,
  fileName: string,
  create: () => string,
): { value: string; generated: boolean } {
  const given = readOptional(env, name);
  if (given !== undefined) return { value: given, generated: false };
  if (database.kind === 'server') {
    throw new ConfigError(
      name,
      'must be set when DATABASE_URL is set (every instance sharing the database needs the same key)',
    );
  }
  return loadOrCreateLocalKey(dataDir, fileName, create);
}

/**
 * The key that signs kitchen confirmation links (docs/confirmation.md), derived from AUTH_JWT_SECRET (HKDF, its own
 * label) rather than one more variable: kept where that key is kept (given, or generated into DATA_DIR/keys), the
 * same on every instance that shares it, and never usable as the token key (nor the other way round). A new
 * AUTH_JWT_SECRET turns the links of reports still open into "invalid link" pages: the reminder still reaches them.
 */
function confirmationLinkKey(jwtSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', jwtSecret, 'dingtalk-notify', 'kitchen-confirmation-links', 32));
}

function decodeEncryptionKey(value: string): Buffer {
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new ConfigError(
      'DATA_ENCRYPTION_KEY',
      'must be 32 bytes encoded as base64 (try: openssl rand -base64 32)',
    );
  }
  return key;
}
