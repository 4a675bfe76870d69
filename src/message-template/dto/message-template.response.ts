import { ApiProperty } from '@nestjs/swagger';
import { StoreFilterQuery } from '../../common/http/store-scoped.dto';
import { MSG_TYPES } from '../entities/message-template.entity';

export class MessageTemplateResponse {
  @ApiProperty({ example: 1 })
  id: number;
  @ApiProperty({ example: '厨房群简报' })
  name: string;
  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'null: every store' })
  store_id: number | null;
  @ApiProperty({ enum: MSG_TYPES })
  msg_type: string;
  @ApiProperty({ example: '报菜：{{dish_name}} {{quantity}}{{unit}}' })
  title: string;
  @ApiProperty({ example: '#### {{dish_name}} × {{quantity}}{{unit}}' })
  body: string;
  @ApiProperty()
  created_at: string;
  @ApiProperty()
  updated_at: string;
}

/** `?store_id=1`: the templates that store's bots may use (its own and the shared ones). */
export class ListMessageTemplatesQuery extends StoreFilterQuery {}
