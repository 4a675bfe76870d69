import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { DestinationStream, Logger } from 'pino';
import { LogLevel } from '../config/app-config';
import { SECRET_FIELD_NAMES, scrubSecrets } from './scrub-secrets';

export interface LoggerOptions {
  level: LogLevel;
  /** Also append every line to this file (operators `tail -f` it). */
  file?: string;
  /** Where lines go besides the file; tests pass a capturing stream. Default: stdout. */
  destination?: DestinationStream;
}

/**
 * One pino logger for the whole process: JSON lines, secrets redacted by field name (at the top level and
 * one or two levels down) and by pattern inside message strings.
 */
export function createLogger(options: LoggerOptions): Logger {
  const redactPaths = SECRET_FIELD_NAMES.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]);
  redactPaths.push('req.headers.authorization', 'req.headers.cookie');

  // Each stream takes every line the logger lets through: the logger's level decides. (A multistream entry
  // without a level defaults to info, which silently dropped every debug and trace line.)
  const streams: pino.StreamEntry[] = [
    { level: 'trace', stream: options.destination ?? pino.destination({ fd: 1, sync: false }) },
  ];
  if (options.file) {
    mkdirSync(dirname(options.file), { recursive: true });
    streams.push({
      level: 'trace',
      stream: pino.destination({ dest: options.file, mkdir: true, sync: false }),
    });
  }

  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg)) as Parameters<
              typeof method
            >,
          );
        },
      },
      serializers: { err: (error: unknown) => serializeError(error) },
    },
    pino.multistream(streams),
  );
}

/**
 * Errors are logged with their message and stack (scrubbed), but never with the bound values of a failed query:
 * TypeORM's QueryFailedError carries `parameters`, which can hold anything a request sent.
 */
function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error);
  delete serialized.parameters;
  if (typeof serialized.driverError === 'object' && serialized.driverError !== null) {
    const { message, code } = serialized.driverError as { message?: unknown; code?: unknown };
    serialized.driverError = { message, code };
  }
  if (typeof serialized.message === 'string') serialized.message = scrubSecrets(serialized.message);
  if (typeof serialized.stack === 'string') serialized.stack = scrubSecrets(serialized.stack);
  return serialized;
}
