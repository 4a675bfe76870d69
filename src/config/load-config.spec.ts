import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const KEY = Buffer.alloc(32, 1).toString('base64');
const SECRET = 'x'.repeat(40);
const dataDir = () => mkdtempSync(join(tmpdir(), 'notify-config-'));

function problem(env: Record<string, string>): string {
  try {
    loadConfig({ DATA_DIR: dataDir(), ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the defaults of the README configuration table', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config.port).toBe(10024);
    expect(config.host).toBe('0.0.0.0');
    expect(config.database.kind).toBe('embedded');
    expect(config.dingtalk).toEqual({
      oapiUrl: 'https://oapi.dingtalk.com',
      apiUrl: 'https://api.dingtalk.com',
      webhookOrigins: ['https://oapi.dingtalk.com'],
      timeoutMs: 10_000,
      callBudgetPerSecond: 400,
      appApiCallsPerSecond: 20,
      workNotificationRecipientsPerMinute: 5_000,
      ipBlockPauseMs: 300_000,
      maxRetryAfterMs: 3_600_000,
      sendResultWaitsMs: [500, 1_000, 2_000, 4_000],
    });
    expect(config.logLevel).toBe('info');
    expect(config.logFile).toBeUndefined();
    expect(config.retentionDays).toBe(30);
    expect(config.delivery.retryScheduleMs).toEqual([5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000]);
    expect(config.delivery.throttlePauseMs).toBe(600_000);
    expect(config.delivery.leaseMs).toBe(35_000);
    expect(loadConfig({ DATA_DIR: dataDir(), DINGTALK_TIMEOUT_MS: '3000' }).delivery.leaseMs).toBe(14_000);
    expect(loadConfig({ DATA_DIR: dataDir(), DELIVERY_LEASE_MS: '2000' }).delivery.leaseMs).toBe(2_000);
    expect(problem({ DELIVERY_LEASE_MS: '500' })).toMatch(
      /DELIVERY_LEASE_MS must be a whole number from 1000/,
    );
    expect(config.delivery.maxAgeMs).toBe(86_400_000);
    expect(loadConfig({ DATA_DIR: dataDir(), DELIVERY_MAX_AGE_MS: '7200000' }).delivery.maxAgeMs).toBe(
      7_200_000,
    );
    expect(problem({ DELIVERY_MAX_AGE_MS: '24h' })).toMatch(/DELIVERY_MAX_AGE_MS must be a whole number/);
    expect(problem({ DELIVERY_MAX_AGE_MS: '3600000' })).toBe(
      'Invalid configuration: DELIVERY_MAX_AGE_MS must be longer than the waits of DELIVERY_RETRY_SCHEDULE ' +
        'together (6155000 ms; got 3600000)',
    );
    expect(
      loadConfig({ DATA_DIR: dataDir(), DELIVERY_THROTTLE_PAUSE_MS: '5000' }).delivery.throttlePauseMs,
    ).toBe(5_000);
    expect(problem({ DELIVERY_THROTTLE_PAUSE_MS: '10' })).toMatch(/DELIVERY_THROTTLE_PAUSE_MS/);
  });

  it('reads the retry schedule as durations and refuses anything else', () => {
    const config = loadConfig({ DATA_DIR: dataDir(), DELIVERY_RETRY_SCHEDULE: '250ms, 2s,1m,1h' });
    expect(config.delivery.retryScheduleMs).toEqual([250, 2_000, 60_000, 3_600_000]);
    expect(problem({ DELIVERY_RETRY_SCHEDULE: '5s,soon' })).toMatch(
      /DELIVERY_RETRY_SCHEDULE must be durations/,
    );
  });

  it('names the variable and the problem in one line', () => {
    expect(problem({ PORT: 'eighty' })).toBe(
      'Invalid configuration: PORT must be a whole number from 0 to 65535 (got "eighty")',
    );
    expect(problem({ RETENTION_DAYS: '-1' })).toBe(
      'Invalid configuration: RETENTION_DAYS must be a whole number from 0 to 3650 (got "-1")',
    );
    expect(problem({ LOG_LEVEL: 'loud' })).toMatch(
      /^Invalid configuration: LOG_LEVEL must be one of fatal, error/,
    );
    expect(problem({ DINGTALK_API_URL: 'ftp://x' })).toMatch(
      /^Invalid configuration: DINGTALK_API_URL must be an http\(s\) URL/,
    );
    expect(problem({ DINGTALK_WEBHOOK_ORIGINS: 'https://a.example/path' })).toMatch(
      /^Invalid configuration: DINGTALK_WEBHOOK_ORIGINS has "https:\/\/a.example\/path"/,
    );
    expect(
      problem({ DATABASE_URL: 'mysql://x/y', AUTH_JWT_SECRET: SECRET, DATA_ENCRYPTION_KEY: KEY }),
    ).toMatch(/^Invalid configuration: DATABASE_URL must be a postgres:\/\/ URL/);
  });

  it('refuses to start on a database server without shared keys, naming the missing one', () => {
    expect(problem({ DATABASE_URL: 'postgres://u@h/db' })).toMatch(
      /^Invalid configuration: AUTH_JWT_SECRET must be set when DATABASE_URL is set/,
    );
    expect(problem({ DATABASE_URL: 'postgres://u@h/db', AUTH_JWT_SECRET: SECRET })).toMatch(
      /^Invalid configuration: DATA_ENCRYPTION_KEY must be set when DATABASE_URL is set/,
    );
  });

  it('never echoes a secret value back', () => {
    expect(problem({ AUTH_JWT_SECRET: 'short-secret-value' })).not.toContain('short-secret-value');
    expect(problem({ DATA_ENCRYPTION_KEY: 'not-base64-secret!' })).not.toContain('not-base64-secret!');
    expect(problem({ DATA_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toMatch(/must be 32 bytes/);
  });

  it('generates the local keys once on the embedded database, with mode 0600, and reuses them', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.keysGenerated).toBe(true);
    expect(statSync(join(dir, 'keys', 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys', 'data-encryption-key')).mode & 0o777).toBe(0o600);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.keysGenerated).toBe(false);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.encryptionKey.equals(first.encryptionKey)).toBe(true);
  });

  it('uses given keys and a database server when configured', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@h:5432/notify',
      AUTH_JWT_SECRET: SECRET,
      DATA_ENCRYPTION_KEY: KEY,
    });
    expect(config.database).toEqual({ kind: 'server', url: 'postgres://u@h:5432/notify' });
    expect(config.jwtSecret).toBe(SECRET);
    expect(config.encryptionKeyId).toMatch(/^[0-9a-f]{8}$/);
  });

  it('normalises webhook origins', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      DINGTALK_WEBHOOK_ORIGINS: 'https://oapi.dingtalk.com/, http://127.0.0.1:8080',
    });
    expect(config.dingtalk.webhookOrigins).toEqual(['https://oapi.dingtalk.com', 'http://127.0.0.1:8080']);
  });
});
