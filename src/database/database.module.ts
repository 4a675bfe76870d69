import { DynamicModule, Logger, Module } from '@nestjs/common';
import { Logger as PinoLogger } from 'pino';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseConnection, dataSourceOptions } from './data-source-options';
import { OpenSealed } from './migration-secrets';
import { runMigrations } from './run-migrations';
import { limitWaitingQueries, WAITING_QUERIES_PER_CONNECTION } from './waiting-queries-limit';
import { SLOW_QUERY_MS, TypeOrmPinoLogger } from './typeorm-pino.logger';

/**
 * TypeORM on the database chosen at boot (see main.ts). Pending migrations run before the application takes
 * any request; a failure there stops start-up. Requests waiting for a connection have a ceiling
 * (waiting-queries-limit.ts). TypeORM logs into the process's logger: SQL at trace, slow queries
 * at warn (typeorm-pino.logger.ts).
 */
@Module({})
export class DatabaseModule {
  /** `openSealed`: for the migrations that report what they merged (migration-secrets.ts). */
  static forRoot(
    connection: DatabaseConnection,
    logger?: PinoLogger,
    openSealed?: OpenSealed,
  ): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(connection),
            autoLoadEntities: true,
            retryAttempts: 1,
            ...(logger
              ? {
                  logger: new TypeOrmPinoLogger(logger.child({ context: 'sql' })),
                  maxQueryExecutionTime: SLOW_QUERY_MS,
                }
              : {}),
          }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            try {
              const applied = await runMigrations(dataSource, { openSealed });
              if (applied.length > 0) new Logger('Database').log(`Applied migrations: ${applied.join(', ')}`);
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            limitWaitingQueries(
              dataSource,
              connection.waitingLimit ?? connection.poolSize * WAITING_QUERIES_PER_CONNECTION,
            );
            return dataSource;
          },
        }),
      ],
    };
  }
}
