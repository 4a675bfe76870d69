import { PartialType } from '@nestjs/swagger';
import { CreateDingTalkBotDto } from './create-dingtalk-bot.dto';

/**
 * Any subset of the bot's fields; the merged result is validated as a whole. `skipNullProperties: false`
 * keeps `null` invalid for fields that cannot be cleared (name, bot_type…), as in the create DTO.
 */
export class UpdateDingTalkBotDto extends PartialType(CreateDingTalkBotDto, { skipNullProperties: false }) {}
