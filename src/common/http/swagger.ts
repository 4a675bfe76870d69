import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs and the OpenAPI document at /docs-json (SPEC §3), with bearer auth. */
export function setupSwagger(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Store DingTalk notification service')
    .setDescription(
      'Sends every menu report (报菜) of a store to its DingTalk bots. Every route under /api/v1 needs ' +
        '`Authorization: Bearer <token>` (get one with `npm run token -- --role admin`). Success bodies are ' +
        '`{code: 0, msg: "success", data}`; errors are `{code, msg, errors?, request_id}`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
