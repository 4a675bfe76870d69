import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'pino';
import { AppModule, AppModuleOptions } from './app.module';
import { generateRequestId, REQUEST_ID_HEADER } from './common/http/request-id';
import { setupSwagger } from './common/http/swagger';
import { PinoNestLogger } from './logging/nest-logger';

export const API_PREFIX = 'api/v1';
const BODY_LIMIT_BYTES = 1024 * 1024;

export interface CreateAppOptions extends AppModuleOptions {
  logger: Logger;
}

/**
 * Builds the HTTP application (used by main.ts and by the e2e tests, so both run the same pipeline):
 * Fastify with a 1 MiB body limit and request ids, the /api/v1 prefix, Swagger at /docs.
 */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: generateRequestId,
  });
  const fastify = adapter.getInstance();
  const requestLog = options.logger.child({ context: 'http' });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  // One line per request, after the answer. Errors reach Nest's exception layer (GlobalExceptionFilter),
  // which Nest installs as Fastify's error handler, so body-parsing errors get the same envelope.
  fastify.addHook('onResponse', (request, reply, done) => {
    requestLog.info(
      {
        req_id: request.id,
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
    done();
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    logger: new PinoNestLogger(options.logger),
    abortOnError: false,
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'metrics'] });
  setupSwagger(app);
  return app;
}
