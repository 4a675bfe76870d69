import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import { FastifyBodyParser, FastifyInstance, FastifyRequest } from 'fastify';
import { FieldError } from './api-envelope';
import { ValidationFailedException } from './validation-failed.exception';

/** No request of this API nests deeper than 3; 32 leaves room and stops a body built to exhaust the stack. */
export const MAX_JSON_DEPTH = 32;
const MAX_REPORTED = 10;

/** A UTF-16 code unit of a surrogate pair standing alone: in a `u` regex, a well-formed pair is one code point. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Checks what Fastify parsed before any of it is transformed or stored: JSON nested deeper than MAX_JSON_DEPTH
 * is a 400 (class-transformer recurses, so a body nested 5,000 deep would overflow the stack), and text with a
 * NUL character or a lone surrogate (`"\ud800"` is valid JSON, but no character: PostgreSQL would store U+FFFD
 * in its place, or refuse it) is a 400 naming the field (PostgreSQL cannot store NUL in a text column).
 * Iterative, so that this check itself cannot overflow.
 */
export function checkParsedInput(input: { body?: unknown; query?: unknown; params?: unknown }): void {
  const errors: FieldError[] = [];
  for (const [source, value] of Object.entries(input)) {
    const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
    while (stack.length > 0 && errors.length < MAX_REPORTED) {
      const { value: current, path, depth } = stack.pop()!;
      if (typeof current === 'string') {
        const field = path || source;
        if (current.includes('\u0000')) {
          errors.push({ field, message: `${field} must not contain the NUL character (\\u0000)` });
        } else if (LONE_SURROGATE.test(current)) {
          errors.push({ field, message: loneSurrogateMessage(field) });
        }
        continue;
      }
      if (typeof current !== 'object' || current === null) continue;
      if (depth >= MAX_JSON_DEPTH) {
        throw new BadRequestException(`The request ${source} is nested deeper than ${MAX_JSON_DEPTH} levels`);
      }
      const entries = Array.isArray(current)
        ? current.map((item, index) => [String(index), item] as const)
        : Object.entries(current);
      for (const [key, item] of entries.reverse()) {
        const itemPath = Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
        if (LONE_SURROGATE.test(key)) {
          errors.push({ field: path || source, message: loneSurrogateMessage(`a key in ${path || source}`) });
          continue;
        }
        stack.push({ value: item, path: itemPath, depth: depth + 1 });
      }
    }
  }
  if (errors.length > 0) throw new ValidationFailedException(errors);
}

function loneSurrogateMessage(what: string): string {
  return `${what} is not valid Unicode text: it holds half of a surrogate pair (such as \\ud800) without the other half`;
}

const UTF8_CHARSETS = new Set(['utf-8', 'utf8']);

/**
 * The JSON body parser, in place of Fastify's own, which decodes any bytes as UTF-8 and puts U+FFFD wherever they
 * are not (`f\xc3(z` was stored as `f\uFFFDz`: something else than was sent). A JSON body must be UTF-8
 * (RFC 8259, section 8.1):
 * - a `charset` other than UTF-8 (`utf-16`, `latin1`, …) is a 415: this API reads UTF-8 only;
 * - a `Content-Encoding` other than `identity` (gzip, br, …) is a 415: bodies are not decompressed here, and
 *   reading compressed bytes as JSON would only give a confusing 400;
 * - bytes that are not UTF-8 (a lead byte without its continuation, an encoded surrogate, an overlong form, a
 *   sequence cut short) are a 400.
 * What is left goes to Fastify's own JSON parser (empty bodies, malformed JSON, `__proto__` keys).
 */
export function strictJsonParser(fastify: FastifyInstance): FastifyBodyParser<Buffer> {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    const refusal = encodingRefusal(request);
    if (refusal) return done(refusal, undefined);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      return done(
        new BadRequestException(
          'The request body is not valid UTF-8: send the JSON encoded as UTF-8, as it was written',
        ),
        undefined,
      );
    }
    void parseJson(request, text, done);
  };
}

function encodingRefusal(request: FastifyRequest): Error | undefined {
  const contentEncoding = request.headers['content-encoding'];
  if (contentEncoding !== undefined && contentEncoding.trim().toLowerCase() !== 'identity') {
    return new UnsupportedMediaTypeException(
      'Content-Encoding is not supported: send the JSON body uncompressed (no Content-Encoding header)',
    );
  }
  const charset = charsetOf(request.headers['content-type']);
  if (charset !== undefined && !UTF8_CHARSETS.has(charset)) {
    return new UnsupportedMediaTypeException(
      'The request body must be JSON in UTF-8: send Content-Type: application/json (charset=utf-8 or none)',
    );
  }
  return undefined;
}

/** The `charset` parameter of a Content-Type header, lower-cased and unquoted; undefined when there is none. */
function charsetOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  for (const parameter of contentType.split(';').slice(1)) {
    const [name, ...value] = parameter.split('=');
    if (name?.trim().toLowerCase() === 'charset') {
      return value
        .join('=')
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase();
    }
  }
  return undefined;
}
