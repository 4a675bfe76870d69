import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { BOT_HEALTHS, BotHealth } from '../../events/bot-health.events';
import { StoreFilterQuery } from '../../common/http/store-scoped.dto';
import { BOT_TYPES } from '../bot-kinds';
import { BotType } from '../entities/dingtalk-bot.entity';
import { IsBotType } from './is-bot-type';

const booleanFromQuery = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListDingTalkBotsQuery extends StoreFilterQuery {
  @ApiPropertyOptional({ enum: BOT_TYPES })
  @IsOptional()
  @IsBotType()
  readonly bot_type?: BotType;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(booleanFromQuery)
  @IsBoolean({ message: 'is_enabled must be true or false' })
  readonly is_enabled?: boolean;

  @ApiPropertyOptional({
    enum: BOT_HEALTHS,
    description: 'Only the bots with this health (docs/bot-health.md)',
  })
  @IsOptional()
  @IsIn(BOT_HEALTHS)
  readonly health?: BotHealth;
}
