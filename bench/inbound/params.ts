/** What `npm run bench -- inbound` measures, from the environment (bench/run.js turns `--groups 50` into GROUPS=50). */
export interface InboundParams {
  /** Groups the one app's robot is in: one per store. */
  groups: number;
  /** Messages a second written into the groups, round-robin, for `duration` seconds. */
  rate: number;
  duration: number;
  /** Longest wait, after the last message, for every ACK and reply (s). */
  drain: number;
  /** The service's database besides the baseline: `none` measures the bare ws client alone. */
  db: 'postgres' | 'embedded' | 'both' | 'none';
  /** The PostgreSQL server the service gets a fresh database on (db postgres or both). */
  pgUrl: string;
}

const DB_CHOICES: ReadonlyArray<InboundParams['db']> = ['postgres', 'embedded', 'both', 'none'];

/** Each number's variable and default; every one must be a positive number, `groups` a whole one. */
const DEFAULTS: Record<'groups' | 'rate' | 'duration' | 'drain', [variable: string, fallback: number]> = {
  groups: ['GROUPS', 300],
  rate: ['RATE', 100],
  duration: ['DURATION', 30],
  drain: ['DRAIN', 60],
};

export function readInboundParams(env: NodeJS.ProcessEnv): InboundParams {
  const db = (env.DB || 'postgres') as InboundParams['db'];
  if (!DB_CHOICES.includes(db)) throw new Error(`DB must be one of ${DB_CHOICES.join(', ')} (got "${db}")`);
  const pgUrl = env.PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const params = { db, pgUrl } as InboundParams;
  for (const [key, [variable, fallback]] of Object.entries(DEFAULTS) as Array<
    [keyof typeof DEFAULTS, [string, number]]
  >) {
    const raw = env[variable] ?? '';
    const value = raw === '' ? fallback : Number(raw);
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new Error(`${variable} must be a positive number (got "${raw}")`);
    }
    params[key] = key === 'groups' ? Math.floor(value) : value;
  }
  return params;
}

/** The same run as a command line. */
export function inboundCommandLine(params: InboundParams): string {
  return (
    `npm run bench -- inbound --groups ${params.groups} --rate ${params.rate} ` +
    `--duration ${params.duration} --drain ${params.drain} --db ${params.db}`
  );
}
