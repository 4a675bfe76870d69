import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, with bearer auth, built when first asked for. */
export function setupSwagger(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Store DingTalk notification service')
    .setDescription(
      'Sends every menu report (报菜) of a store to its DingTalk bots. Every route under /api/v1 needs ' +
        '`Authorization: Bearer <token>` (get one with `npm run token -- --role admin`). Success bodies are ' +
        '`{code: 0, msg: "success", data}`; errors are `{code, msg, errors?, request_id}`. Request bodies are JSON ' +
        '(`Content-Type: application/json`).',
    )
    .setVersion('1')
    .addServer('/', 'This service')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  // Built on the first request for /docs or /docs-json, not at boot: scanning every controller and DTO costs a tenth
  // of a second or more of the start's CPU, for a page few starts are followed by.
  const document = () => {
    const built = markPublicOperations(SwaggerModule.createDocument(app, config));
    built.info.license = { name: 'UNLICENSED' };
    return built;
  };
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}

/** An operation without a bearer requirement (/health, /metrics) says so with `security: []`. */
function markPublicOperations(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const operation of [path.get, path.put, path.post, path.delete, path.patch]) {
      if (operation && !operation.security) operation.security = [];
    }
  }
  return document;
}
