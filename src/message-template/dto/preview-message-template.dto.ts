import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';
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
