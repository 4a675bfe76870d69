import { applyDecorators, HttpStatus, Type } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { FieldError } from './api-envelope';
import { INT4_MAX } from './strict-integer';

class FieldErrorDoc {
  @ApiProperty({ type: String, example: 'quantity' })
  field: string;
  @ApiProperty({ type: String, example: 'quantity must be a number' })
  message: string;
}

export class ErrorEnvelopeDoc {
  @ApiProperty({
    type: 'integer',
    example: 404,
    description: 'Non-zero. For generic errors it equals the HTTP status.',
  })
  code: number;
  @ApiProperty({ type: String, example: 'DingTalk bot 42 not found' })
  msg: string;
  @ApiPropertyOptional({ type: [FieldErrorDoc], description: 'With a 400: one entry per wrong field' })
  errors?: FieldErrorDoc[];
  @ApiProperty({ type: String, example: '5f0c2a4e-1f3b-4f7e-9d1c-2b8f0e6a7c11' })
  request_id: string;
}

function envelopeSchema(data: Record<string, unknown>) {
  return {
    type: 'object',
    required: ['code', 'msg', 'data'],
    properties: {
      code: { type: 'integer', enum: [0], example: 0 },
      msg: { type: 'string', enum: ['success'], example: 'success' },
      data,
    },
  };
}

/** Documents `{code: 0, msg: "success", data: <model>}` for the given status. */
export function ApiEnvelope(model: Type<unknown>, status: HttpStatus = HttpStatus.OK, description?: string) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({
      status,
      description: description ?? (status === HttpStatus.CREATED ? 'Created' : 'Success'),
      schema: envelopeSchema({ $ref: getSchemaPath(model) }),
    }),
  );
}

/** Documents `{code: 0, msg: "success", data: {items: [<model>], total, page, page_size}}`. */
export function ApiPageEnvelope(model: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({
      status: HttpStatus.OK,
      description: 'One page, newest first',
      schema: envelopeSchema({
        type: 'object',
        required: ['items', 'total', 'page', 'page_size'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          total: { type: 'integer', example: 42 },
          page: { type: 'integer', example: 1 },
          page_size: { type: 'integer', example: 20 },
        },
      }),
    }),
  );
}

/** An error a route really gives, as its documented example. */
export interface ErrorExample {
  status: HttpStatus;
  msg: string;
  errors?: FieldError[];
  /** Shown as the example's name in Swagger UI; default: the message. */
  summary?: string;
}

/** A 400 naming one wrong field, worded as the validation pipe words it. */
export function fieldError(field: string, message: string): ErrorExample {
  return {
    status: HttpStatus.BAD_REQUEST,
    msg: `Invalid request: ${message}`,
    errors: [{ field, message }],
  };
}

/** Errors that read the same on every route that can give them. */
export const STANDARD_ERRORS = {
  unauthorized: {
    status: HttpStatus.UNAUTHORIZED,
    msg: 'Missing bearer token: send Authorization: Bearer <token>',
  },
  invalidToken: { status: HttpStatus.UNAUTHORIZED, msg: 'Invalid or expired token' },
  tooLarge: { status: HttpStatus.PAYLOAD_TOO_LARGE, msg: 'Request body is larger than 1 MiB' },
  notJson: {
    status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    msg: 'The request body must be JSON: send Content-Type: application/json',
  },
  malformedJson: { status: HttpStatus.BAD_REQUEST, msg: 'Malformed JSON in request body' },
  unknownField: fieldError('colour', 'colour is not a known field'),
} satisfies Record<string, ErrorExample>;

const DESCRIPTIONS: Partial<Record<HttpStatus, string>> = {
  [HttpStatus.BAD_REQUEST]: 'Invalid input; `errors` names each wrong field',
  [HttpStatus.UNAUTHORIZED]: 'Missing, malformed, expired or badly signed bearer token',
  [HttpStatus.FORBIDDEN]: 'The token may not act on that store',
  [HttpStatus.NOT_FOUND]: 'No such resource among the stores the token can see',
  [HttpStatus.CONFLICT]: 'Conflicts with the current state',
  [HttpStatus.UNPROCESSABLE_ENTITY]: 'The Idempotency-Key was used for another request',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'Body over 1 MiB',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'The body is not sent as application/json',
  [HttpStatus.TOO_MANY_REQUESTS]: 'Not now: the `Retry-After` header says in how many seconds',
};

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', example: 12 },
  },
};

/**
 * Documents the error envelope for each status given, with the listed examples (several for one status are
 * shown side by side in Swagger UI). Declared on a controller and on a route, the route's wins per status.
 */
export function ApiErrors(...examples: ErrorExample[]) {
  const byStatus = new Map<HttpStatus, ErrorExample[]>();
  for (const example of examples)
    byStatus.set(example.status, [...(byStatus.get(example.status) ?? []), example]);
  return applyDecorators(
    ApiExtraModels(ErrorEnvelopeDoc),
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        ...(status === HttpStatus.TOO_MANY_REQUESTS ? { headers: RETRY_AFTER } : {}),
        content: {
          'application/json': {
            schema: { $ref: getSchemaPath(ErrorEnvelopeDoc) },
            examples: Object.fromEntries(
              list.map((example, index) => [
                `e${index + 1}`,
                {
                  summary: example.summary ?? example.msg,
                  value: {
                    code: status,
                    msg: example.msg,
                    ...(example.errors ? { errors: example.errors } : {}),
                    request_id: '5f0c2a4e-1f3b-4f7e-9d1c-2b8f0e6a7c11',
                  },
                },
              ]),
            ),
          },
        },
      }),
    ),
  );
}

/**
 * A JSON request body: its schema, named examples that the route accepts (Swagger UI's "Try it out" starts from
 * the first), and the route's errors together with those any JSON body can give (malformed JSON, an unknown
 * field, 413, 415) — in one place, because one status has one list of examples.
 */
export function ApiJsonBody(
  model: Type<unknown>,
  examples: Record<string, { summary: string; value: Record<string, unknown> }>,
  ...errors: ErrorExample[]
) {
  return applyDecorators(
    ApiBody({ type: model, examples }),
    ApiErrors(
      ...errors,
      STANDARD_ERRORS.malformedJson,
      STANDARD_ERRORS.unknownField,
      STANDARD_ERRORS.tooLarge,
      STANDARD_ERRORS.notJson,
    ),
  );
}

/** The `:id` of a row: digits only, no leading zero, within the column's range. */
export function ApiIdParam(description: string, max: number | bigint = INT4_MAX) {
  return ApiParam({
    name: 'id',
    description,
    schema:
      typeof max === 'bigint'
        ? { type: 'integer', format: 'int64', minimum: 1, example: 1 }
        : { type: 'integer', format: 'int32', minimum: 1, maximum: max, example: 1 },
  });
}
