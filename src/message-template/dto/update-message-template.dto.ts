import { PartialType } from '@nestjs/swagger';
import { CreateMessageTemplateDto } from './create-message-template.dto';

/** Any subset of a template's fields; the merged template is checked as a whole. */
export class UpdateMessageTemplateDto extends PartialType(CreateMessageTemplateDto, {
  skipNullProperties: false,
}) {}
