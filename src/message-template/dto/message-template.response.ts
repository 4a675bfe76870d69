import { ApiProperty } from '@nestjs/swagger';
import { StoreFilterQuery } from '../../common/http/store-scoped.dto';
import { MSG_TYPES } from '../entities/message-template.entity';
import { TEMPLATE_PURPOSES, TemplatePurpose } from '../template-variables';

export class MessageTemplateResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  id: number;
  @ApiProperty({ type: String, example: '厨房群简报' })
  name: string;
  @ApiProperty({ example: 1, nullable: true, type: 'integer', description: 'null: every store' })
  store_id: number | null;
  @ApiProperty({ enum: MSG_TYPES })
  msg_type: string;
  @ApiProperty({ type: String, example: '报菜：{{dish_name}} {{quantity}}{{unit}}' })
  title: string;
  @ApiProperty({ type: String, example: '#### {{dish_name}} × {{quantity}}{{unit}}' })
  body: string;
  @ApiProperty({ enum: TEMPLATE_PURPOSES, example: 'report' })
  purpose: TemplatePurpose;
  @ApiProperty({ type: String })
  created_at: string;
  @ApiProperty({ type: String })
  updated_at: string;
}

/** `?store_id=1`: the templates that store's bots may use (its own and the shared ones). */
export class ListMessageTemplatesQuery extends StoreFilterQuery {}
