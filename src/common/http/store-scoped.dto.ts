import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsOptionalNonNull } from '../validation/is-optional-non-null';
import { PageQueryDto } from './pagination.dto';

const MAX_STORE_ID = 2_147_483_647;

/** The `store_id` of something created in a store (SPEC §4: optional for a store_admin with one store). */
export class StoreScopedCreateDto {
  @ApiPropertyOptional({
    example: 1,
    description: 'Optional for a store_admin token with exactly one store.',
  })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  @Max(MAX_STORE_ID)
  readonly store_id?: number;
}

/** A page of a list that can be narrowed to one store (`?store_id=1&page=1&page_size=20`). */
export class StoreFilterQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_STORE_ID)
  readonly store_id?: number;
}
