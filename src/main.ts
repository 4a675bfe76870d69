import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'pino';
import { issueToken } from './auth/token-issuer';
import { AppConfig } from './config/app-config';
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load-config';
import { DataDirLockedError } from './database/embedded/data-dir-lock';
import { EmbeddedDatabase, startEmbeddedDatabase } from './database/embedded/embedded-database';
import { EmbeddedDatabaseError } from './database/embedded/embedded-database-error';
import { createLogger } from './logging/create-logger';

const FIRST_ADMIN_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
/** Connections to the embedded server; its max_connections (embedded-database.ts) leaves room for them. */
const EMBEDDED_POOL_SIZE = 10;

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) return exitWith(error.message);
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, file: config.logFile });

  let embedded: EmbeddedDatabase | undefined;
  let app: NestFastifyApplication | undefined;
  let apiPrefix: string;
  // The embedded database starts in its own processes while this one loads the application's modules.
  let starting: Promise<EmbeddedDatabase> | undefined;
  if (config.database.kind === 'embedded') {
    logger.info({ directory: config.database.directory }, 'Starting the embedded database (PostgreSQL)');
    const serverLog = logger.child({ context: 'postgres' });
    starting = startEmbeddedDatabase(config.database.directory, config.dataDir, {
      log: (level, line) => serverLog[level](line),
    }).then((database) => {
      logger.info({ created: database.created }, 'The embedded database is ready');
      return database;
    });
    starting.catch(() => undefined);
  }
  try {
    // Required here, not imported at the top, so that loading it overlaps with the database's start.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createApp, API_PREFIX } = require('./app.factory') as typeof import('./app.factory');
    apiPrefix = API_PREFIX;
    embedded = await starting;
    const database =
      config.database.kind === 'server'
        ? { url: config.database.url, poolSize: 10 }
        : { url: embedded!.url, poolSize: EMBEDDED_POOL_SIZE };
    app = await createApp({ config, database, logger });
    await app.listen(config.port, config.host);
  } catch (error) {
    if (error instanceof DataDirLockedError || error instanceof EmbeddedDatabaseError) {
      return exitWith(error.message);
    }
    logger.fatal({ err: error }, 'Start-up failed');
    await app?.close().catch(() => undefined);
    embedded ??= await starting?.catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    logger.flush();
    process.exit(1);
  }
  const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  logger.info(
    `Listening on ${base}; console at ${base}/console; Swagger UI at ${base}/docs; API under ${base}/${apiPrefix}`,
  );
  if (embedded && config.keysGenerated) printFirstStartBanner(config, base);

  handleShutdown(app, embedded, logger);
}

/**
 * Signals are handled here rather than with app.enableShutdownHooks(): Nest would re-raise the signal as soon
 * as the application has closed, before the embedded database (which outlives Nest's connection) is stopped.
 */
function handleShutdown(
  app: NestFastifyApplication,
  embedded: EmbeddedDatabase | undefined,
  logger: Logger,
): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down');
    try {
      await app.close();
      await embedded?.stop();
      logger.info('Shut down cleanly');
      logger.flush();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'Shutdown failed');
      logger.flush();
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, (s) => void stop(s));
}

/**
 * On the very first start with the embedded database there is no other way to get a token, so one is printed
 * to the terminal once (not to the log, which must hold no credentials). `npm run token` makes more.
 */
function printFirstStartBanner(config: AppConfig, base: string): void {
  const token = issueToken(
    config.jwtSecret,
    { sub: 'local-admin', role: 'admin' },
    FIRST_ADMIN_TOKEN_TTL_SECONDS,
  );
  process.stdout.write(
    [
      '',
      '  First start: keys were generated in ' + config.dataDir + '/keys',
      `  Console:      ${base}/console   (sign in with the token)`,
      `  Swagger UI:   ${base}/docs   (click Authorize and paste the token)`,
      '  Admin token (valid 30 days; make more with `npm run token -- --role admin`):',
      '',
      `  ${token}`,
      '',
      '',
    ].join('\n'),
  );
}

function exitWith(message: string): void {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

void main();
