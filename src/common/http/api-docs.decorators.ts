import { applyDecorators, HttpStatus, Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';

class FieldErrorDoc {
  @ApiProperty({ example: 'quantity' })
  field: string;
  @ApiProperty({ example: 'quantity must be a positive number' })
  message: string;
}

export class ErrorEnvelopeDoc {
  @ApiProperty({ example: 400, description: 'Non-zero. For generic errors it equals the HTTP status.' })
  code: number;
  @ApiProperty({ example: 'Invalid request: quantity must be a positive number' })
  msg: string;
  @ApiPropertyOptional({ type: [FieldErrorDoc] })
  errors?: FieldErrorDoc[];
  @ApiProperty({ example: '5f0c2a4e-1f3b-4f7e-9d1c-2b8f0e6a7c11' })
  request_id: string;
}

function envelopeSchema(data: Record<string, unknown>) {
  return {
    type: 'object',
    required: ['code', 'msg', 'data'],
    properties: { code: { type: 'integer', example: 0 }, msg: { type: 'string', example: 'success' }, data },
  };
}

/** Documents `{code: 0, msg: "success", data: <model>}` for the given status. */
export function ApiEnvelope(model: Type<unknown>, status: HttpStatus = HttpStatus.OK, description?: string) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({ status, description, schema: envelopeSchema({ $ref: getSchemaPath(model) }) }),
  );
}

/** Documents `{code: 0, msg: "success", data: {items: [<model>], total, page, page_size}}`. */
export function ApiPageEnvelope(model: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({
      status: HttpStatus.OK,
      schema: envelopeSchema({
        type: 'object',
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

const ERROR_DESCRIPTIONS: Partial<Record<HttpStatus, string>> = {
  [HttpStatus.BAD_REQUEST]: 'Invalid input; `errors` names each wrong field',
  [HttpStatus.UNAUTHORIZED]: 'Missing, malformed, expired or badly signed bearer token',
  [HttpStatus.FORBIDDEN]: 'The token may not act on that store',
  [HttpStatus.NOT_FOUND]: 'No such resource among the stores the token can see',
  [HttpStatus.CONFLICT]: 'Conflicts with the current state',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'Body over 1 MiB',
};

/** Documents the error envelope for each listed status. */
export function ApiErrors(...statuses: HttpStatus[]) {
  return applyDecorators(
    ApiExtraModels(ErrorEnvelopeDoc),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status],
        schema: { $ref: getSchemaPath(ErrorEnvelopeDoc) },
      }),
    ),
  );
}
