import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination.dto';
import { BOT_TYPES, BotType } from '../entities/dingtalk-bot.entity';

const booleanFromQuery = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListDingTalkBotsQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  readonly store_id?: number;

  @ApiPropertyOptional({ enum: BOT_TYPES })
  @IsOptional()
  @IsIn(BOT_TYPES)
  readonly bot_type?: BotType;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(booleanFromQuery)
  @IsBoolean({ message: 'is_enabled must be true or false' })
  readonly is_enabled?: boolean;
}
