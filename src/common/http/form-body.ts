import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/** A form's body is a name or two: anything longer is refused before it is read whole (413). */
export const FORM_BODY_LIMIT_BYTES = 2_048;

/**
 * HTML forms (application/x-www-form-urlencoded), for the few public pages a phone's browser posts to (kitchen
 * confirmation links: `/c/...`) and nowhere else: the API takes JSON only, and a form posted to it is the same 415
 * as before. Parsed into a plain object of strings (a repeated field: its last value).
 */
export function addFormParser(fastify: FastifyInstance, pathPrefixes: readonly string[]): void {
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES },
    (request, body, done) => {
      if (!pathPrefixes.some((prefix) => request.url.startsWith(prefix))) {
        done(
          new UnsupportedMediaTypeException(
            'The request body must be JSON: send Content-Type: application/json',
          ),
          undefined,
        );
        return;
      }
      const fields: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const [name, value] of new URLSearchParams(body as string)) fields[name] = value;
      done(null, fields);
    },
  );
}
