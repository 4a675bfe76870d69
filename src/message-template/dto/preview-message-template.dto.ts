import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';
import { CreateMessageTemplateDto } from './create-message-template.dto';
import { MSG_TYPES } from '../entities/message-template.entity';
import { SUMMARY_TEMPLATE_VARIABLES, TEMPLATE_VARIABLES } from '../template-variables';

/** Values to render a preview with; any variable left out takes its sample value. */
export class PreviewMessageTemplateDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    example: { dish_name: '米饭', quantity: '2.5', unit: '斤' },
    description:
      `Values by variable name; the others take the samples ${JSON.stringify(TEMPLATE_VARIABLES)} ` +
      `(a daily_summary template: ${JSON.stringify(SUMMARY_TEMPLATE_VARIABLES)})`,
  })
  @IsOptional()
  @IsObject()
  readonly values?: Record<string, unknown>;
}

export class TemplatePreviewResponse {
  @ApiProperty({ enum: MSG_TYPES, example: 'markdown' })
  msg_type: string;
  @ApiProperty({ type: String, example: '报菜：宫保鸡丁 50份' })
  title: string;
  @ApiProperty({ type: String, example: '#### 宫保鸡丁 × 50份' })
  text: string;
  @ApiProperty({
    type: 'integer',
    example: 1234,
    description: 'UTF-8 size of the text; DingTalk refuses messages over 20,000 bytes',
  })
  byte_size: number;
  @ApiProperty({
    type: Boolean,
    example: false,
    description: 'True when the text is over 20,000 bytes and would be split',
  })
  over_limit: boolean;
}

/** `POST /message-templates/preview`: a template as it is being written, not saved, and values to render it with. */
export class PreviewDraftTemplateDto extends IntersectionType(
  PickType(CreateMessageTemplateDto, ['msg_type', 'purpose'] as const),
  PreviewMessageTemplateDto,
) {
  @ApiProperty({ type: String, example: '报菜：{{dish_name}}', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  readonly title: string;

  @ApiProperty({
    type: String,
    example: '#### {{dish_name}} × {{quantity}}{{unit}}\n- 报菜人：{{reported_by}}',
    minLength: 1,
    maxLength: 20000,
    description: 'The variables of its purpose, as when saving (an unknown one is a 400)',
  })
  @IsString()
  @Length(1, 20_000)
  readonly body: string;
}
