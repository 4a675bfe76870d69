import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { ValidationFailedException } from '../common/http/validation-failed.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const BAD_JTI = 'jti must be a token id (a UUID such as 0b6f6f3e-2d5c-4d8e-9f3a-6c1b2a4d5e6f)';

/**
 * `@JtiParam() jti: string`: a minted token's `:jti`, checked before it reaches the `uuid` column (where anything
 * else would be a database error, a 500), in lower case as the tokens carry it.
 */
export const JtiParam = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const { jti } = context.switchToHttp().getRequest<FastifyRequest>().params as { jti?: string };
  if (!jti || !UUID.test(jti)) throw new ValidationFailedException([{ field: 'jti', message: BAD_JTI }]);
  return jti.toLowerCase();
});
