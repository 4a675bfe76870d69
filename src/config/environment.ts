import { ConfigError } from './config-error';

/**
 * Readers for single environment variables. Each throws a ConfigError that names the variable, so a bad value
 * stops start-up with one line. Values of secret variables are never echoed back.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export function readString(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? fallback : value;
}

export function readOptional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = readOptional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

export function readChoice<T extends string>(env: Env, name: string, fallback: T, choices: readonly T[]): T {
  const raw = readOptional(env, name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${choices.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

/** An http(s) base URL such as `https://oapi.dingtalk.com`, returned without a trailing slash. */
export function readBaseUrl(env: Env, name: string, fallback: string): string {
  const raw = readString(env, name, fallback);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an http(s) URL (got "${raw}")`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(name, `must be an http(s) URL (got "${raw}")`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(
      name,
      `must be a plain base URL without credentials, query or fragment (got "${raw}")`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

/** A comma-separated list of origins (`scheme://host[:port]`), normalised by the URL parser. */
export function readOrigins(env: Env, name: string, fallback: string): string[] {
  const raw = readString(env, name, fallback);
  const origins = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (origins.length === 0) throw new ConfigError(name, 'must list at least one origin');
  return origins.map((origin) => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(
        name,
        `has "${origin}", which is not an origin such as https://oapi.dingtalk.com`,
      );
    }
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !bare) {
      throw new ConfigError(
        name,
        `has "${origin}", which is not an origin such as https://oapi.dingtalk.com`,
      );
    }
    return url.origin;
  });
}

/** An IANA time zone name such as Asia/Shanghai, checked against the runtime's time zone data. */
export function readTimeZone(env: Env, name: string, fallback: string): string {
  const zone = readString(env, name, fallback);
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ConfigError(name, `must be an IANA time zone such as Asia/Shanghai (got "${zone}")`);
  }
  return zone;
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A comma-separated list of durations such as `5s,30s,2m,1h` (units ms, s, m, h), in milliseconds. */
export function readDurations(env: Env, name: string, fallback: string): number[] {
  const raw = readString(env, name, fallback);
  const parts = raw.split(',').map((part) => part.trim());
  const durations = parts.map((part) => {
    const match = /^(\d+)(ms|s|m|h)$/.exec(part);
    if (!match) {
      throw new ConfigError(
        name,
        `must be durations such as 5s,30s,2m,1h separated by commas (got "${raw}")`,
      );
    }
    return Number(match[1]) * DURATION_UNITS_MS[match[2]];
  });
  if (durations.length > 20) throw new ConfigError(name, 'must list at most 20 durations');
  return durations;
}
