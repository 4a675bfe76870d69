import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsPositive, IsString, Length, Max, MaxLength } from 'class-validator';
import { StoreScopedCreateDto } from '../../common/http/store-scoped.dto';
import { IsNumberWithDecimals } from '../../common/validation/is-number-with-decimals';
import { BodyInteger, INT4_MAX } from '../../common/http/strict-integer';

/** A menu report as the API takes it. At least one of dish_id / dish_name is required (checked by the service, which names both fields). */
export class CreateMenuReportDto extends StoreScopedCreateDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: INT4_MAX,
    nullable: true,
    example: 12,
    description: "The dish's id in the chain's menu",
  })
  @IsOptional()
  @BodyInteger()
  readonly dish_id?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '宫保鸡丁', minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  readonly dish_name?: string | null;

  @ApiProperty({
    type: Number,
    minimum: 0.001,
    maximum: 999_999_999,
    example: 50,
    description: 'Greater than 0; up to three decimals (2.5 斤)',
  })
  @IsNumberWithDecimals(3)
  @IsPositive()
  @Max(999_999_999)
  readonly quantity: number;

  @ApiProperty({ type: String, example: '份', minLength: 1, maxLength: 20 })
  @IsString()
  @Length(1, 20)
  readonly unit: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '少辣', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  readonly remark?: string | null;
}
