import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsOptionalNonNull } from '../validation/is-optional-non-null';
import { PageQueryDto } from './pagination.dto';
import { BodyInteger, INT4_MAX, QueryInteger } from './strict-integer';

/** The `store_id` of something created in a store (optional for a store_admin with exactly one store). */
export class StoreScopedCreateDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: INT4_MAX,
    example: 1,
    description: 'Optional for a store_admin token with exactly one store.',
  })
  @IsOptionalNonNull()
  @BodyInteger()
  readonly store_id?: number;
}

/** A page of a list that can be narrowed to one store (`?store_id=1&page=1&page_size=20`). */
export class StoreFilterQuery extends PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: INT4_MAX, example: 1 })
  @IsOptional()
  @QueryInteger()
  readonly store_id?: number;
}
