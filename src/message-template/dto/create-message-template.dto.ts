import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { BodyInteger, INT4_MAX } from '../../common/http/strict-integer';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';
import { MSG_TYPES, MsgType } from '../entities/message-template.entity';
import { TEMPLATE_PURPOSES, TemplatePurpose } from '../template-variables';

/** A template to create; `{{variables}}` are checked by the service on the whole template. */
export class CreateMessageTemplateDto {
  @ApiProperty({ type: String, example: '厨房群简报', minLength: 1, maxLength: 100 })
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 100)
  readonly name: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: INT4_MAX,
    example: 1,
    nullable: true,
    description:
      'The store whose bots may use it; null: every store (admin only). Optional for a store_admin with one store.',
  })
  @IsOptional()
  @BodyInteger()
  readonly store_id?: number | null;

  @ApiPropertyOptional({ enum: MSG_TYPES, default: 'markdown', example: 'markdown' })
  @IsOptionalNonNull()
  @IsIn(MSG_TYPES)
  readonly msg_type?: MsgType;

  @ApiProperty({
    type: String,
    example: '报菜：{{dish_name}} {{quantity}}{{unit}}',
    minLength: 1,
    maxLength: 200,
  })
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 200)
  readonly title: string;

  @ApiProperty({
    type: String,
    minLength: 1,
    example: '#### {{dish_name}} × {{quantity}}{{unit}}\n- 报菜人：{{reported_by}}\n- 时间：{{created_at}}',
    description:
      'Variables of a report template: store_id, report_id, dish_id, dish_name, quantity, unit, remark, reported_by, ' +
      'created_at. Of a daily_summary template: store_id, date, totals, report_count, reporter_count, ' +
      'first_report_at, last_report_at. An unknown variable is a 400.',
    maxLength: 20000,
  })
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 20_000)
  readonly body: string;

  @ApiPropertyOptional({
    enum: TEMPLATE_PURPOSES,
    default: 'report',
    example: 'report',
    description:
      "report: renders a bot's menu-report notifications; daily_summary: renders its daily summary (the bot's " +
      'reports then use the built-in message)',
  })
  @IsOptionalNonNull()
  @IsIn(TEMPLATE_PURPOSES)
  readonly purpose?: TemplatePurpose;
}
