import { LoggerService } from '@nestjs/common';
import { Logger } from 'pino';

/**
 * Nest's start-up inventory: a line per module (InstanceLoader), per controller (RoutesResolver) and per route
 * (RouterExplorer), some 70 lines that would push the first start's token off the screen. Debug, not info.
 */
const STARTUP_INVENTORY = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Routes Nest's Logger calls (`new Logger(Context).log(...)`) into the process's pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && STARTUP_INVENTORY.has(context)) {
      this.write('debug', context === 'RoutesResolver' ? withoutControllerPath(message) : message, rest);
      return;
    }
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /**
   * Nest passes `(message, context)` or `(message, stack, context)` for errors; an object message is merged
   * into the line as fields.
   */
  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    rest: unknown[],
  ) {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    if (message instanceof Error) {
      this.pino[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ context, ...(message as Record<string, unknown>) });
    } else {
      this.pino[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}

/**
 * `HealthController {/api/v1/health}:` names the controller's path with the global prefix even where the prefix
 * excludes it (/health, /metrics), while the route lines below it say where each route really is
 * (`Mapped {/health, GET} route`): keep the controller's name only.
 */
function withoutControllerPath(message: unknown): unknown {
  return typeof message === 'string' ? message.replace(/ \{[^}]*\}:$/, ':') : message;
}
