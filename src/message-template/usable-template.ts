import { EntityManager } from 'typeorm';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import { MessageTemplate } from './entities/message-template.entity';

/** A bot may use its own store's templates and the shared ones; anything else is a 400 on `template_id`. */
export async function assertUsableTemplate(
  manager: EntityManager,
  templateId: number | null,
  storeId: number,
): Promise<void> {
  if (templateId === null) return;
  const template = await manager.findOneBy(MessageTemplate, { id: templateId });
  if (template && (template.storeId === null || template.storeId === storeId)) return;
  throw new ValidationFailedException([
    {
      field: 'template_id',
      message: `template_id ${templateId} is not a template of store ${storeId} or a shared one`,
    },
  ]);
}
