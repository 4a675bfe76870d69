import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'pino';
import { AppModule, AppModuleOptions } from './app.module';
import { AuthenticatedRequest } from './auth/current-user.decorator';
import { RequestAuthenticator } from './auth/request-authenticator';
import { logAnswer } from './common/http/access-log';
import { checkParsedInput, strictJsonParser } from './common/http/body-checks';
import { closeWaitingConnectionsOnClose } from './common/http/close-waiting-connections';
import { answerConditionalGets } from './common/http/conditional-get';
import { clientErrorHandler, frameworkErrors } from './common/http/framework-errors';
import { generateRequestId, REQUEST_ID_HEADER } from './common/http/request-id';
import { EnvelopingFastifyAdapter } from './common/http/success-envelope';
import { setupSwagger } from './common/http/swagger';
import { asRequest } from './database/waiting-queries-limit';
import { PinoNestLogger } from './logging/nest-logger';
import { addFormParser } from './common/http/form-body';

export const API_PREFIX = 'api/v1';
const BODY_LIMIT_BYTES = 1024 * 1024;

export interface CreateAppOptions extends AppModuleOptions {
  logger: Logger;
}

/**
 * Builds the HTTP application (used by main.ts and by the e2e tests, so both run the same pipeline):
 * Fastify with a 1 MiB body limit and request ids, the /api/v1 prefix, Swagger at /docs; every handler's result in the
 * success envelope (success-envelope.ts).
 *
 * The order a request meets: the request id; the bearer token (under /api/v1, before the body is read, so a
 * caller without a valid token learns nothing from the body checks); JSON only, in UTF-8 and uncompressed (anything
 * else is a 415; bytes that are not UTF-8 a 400: body-checks.ts);
 * nesting and NUL checks on what was parsed; then Nest (validation pipe, controller). Errors from any step
 * leave in the envelope, also those Fastify and Node answer by themselves (framework-errors.ts).
 */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const requestLog = options.logger.child({ context: 'http' });
  const adapter = new EnvelopingFastifyAdapter({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: generateRequestId,
    frameworkErrors: frameworkErrors(requestLog),
    clientErrorHandler: clientErrorHandler(requestLog),
  });
  const fastify = adapter.getInstance();
  closeWaitingConnectionsOnClose(fastify);
  // A request's queries meet the ceiling on waiting for a connection, background work's do not
  // (waiting-queries-limit.ts). Entered again before validation: reading the body resumes in the socket's context.
  fastify.addHook('onRequest', (_request, _reply, done) => asRequest(done));
  fastify.addHook('preValidation', (_request, _reply, done) => asRequest(done));
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  // One line per request, after the answer (the router's and Node's own answers log theirs in
  // framework-errors.ts). Errors reach Nest's exception layer (GlobalExceptionFilter), which Nest installs as
  // Fastify's error handler, so body-parsing errors get the same envelope.
  fastify.addHook('onResponse', (request, reply, done) => {
    logAnswer(requestLog, {
      requestId: request.id,
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
    done();
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    logger: new PinoNestLogger(options.logger),
    abortOnError: false,
    // Fastify's own JSON parser only: Nest's default would also read forms, and Fastify's text/plain parser is
    // removed, so a body that is not JSON is one clear 415 instead of a string validated as an object.
    bodyParser: false,
  });
  fastify.removeContentTypeParser('text/plain');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, strictJsonParser(fastify));
  // The kitchen confirmation page's form (docs/confirmation.md), and no other route's.
  addFormParser(fastify, ['/c/']);

  const authenticator = app.get(RequestAuthenticator);
  const apiPath = `/${API_PREFIX}/`;
  fastify.addHook('onRequest', async (request) => {
    if (request.url.startsWith(apiPath)) {
      (request as AuthenticatedRequest).user = await authenticator.authenticate(
        request.headers.authorization,
      );
    }
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      checkParsedInput({ body: request.body, query: request.query, params: request.params });
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  answerConditionalGets(fastify, apiPath);
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'metrics', 'console', 'console/:file', 'c/:token'] });
  setupSwagger(app);
  return app;
}
