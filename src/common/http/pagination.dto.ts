import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { INT4_MAX, QueryInteger } from './strict-integer';

export const MAX_PAGE_SIZE = 100;

/** `?page=1&page_size=20`, at most 100 a page. Extended by each list's filter DTO. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: INT4_MAX, default: 1, example: 1 })
  @IsOptional()
  @QueryInteger()
  readonly page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 20, example: 20 })
  @IsOptional()
  @QueryInteger({ max: MAX_PAGE_SIZE })
  readonly page_size: number = 20;
}

export class Page<T> {
  @ApiProperty({ isArray: true })
  readonly items: T[];
  @ApiProperty({ type: 'integer', example: 42 })
  readonly total: number;
  @ApiProperty({ type: 'integer', example: 1 })
  readonly page: number;
  @ApiProperty({ type: 'integer', example: 20 })
  readonly page_size: number;

  constructor(items: T[], total: number, query: PageQueryDto) {
    this.items = items;
    this.total = total;
    this.page = query.page;
    this.page_size = query.page_size;
  }
}

export function pageWindow(query: PageQueryDto): { skip: number; take: number } {
  return { skip: (query.page - 1) * query.page_size, take: query.page_size };
}
