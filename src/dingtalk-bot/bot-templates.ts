import { EntityManager } from 'typeorm';
import { Port, port } from '../common/port';
import { ValidationFailedException } from '../common/http/validation-failed.exception';

/**
 * What a bot's settings read of the message templates (table message_templates, owned by message-template): a
 * port this module declares, implemented by the templates' repository and bound in src/composition.module.ts.
 */
export interface BotTemplates {
  /** Whether template `templateId` exists and is store `storeId`'s or a shared one, in the caller's transaction. */
  usableBy(manager: EntityManager, templateId: number, storeId: number): Promise<boolean>;
}
export const BOT_TEMPLATES: Port<BotTemplates> = port<BotTemplates>('BotTemplates');

/** A bot may use its own store's templates and the shared ones; anything else is a 400 on `template_id`. */
export async function assertUsableTemplate(
  templates: BotTemplates,
  manager: EntityManager,
  templateId: number | null,
  storeId: number,
): Promise<void> {
  if (templateId === null || (await templates.usableBy(manager, templateId, storeId))) return;
  throw new ValidationFailedException([
    {
      field: 'template_id',
      message: `template_id ${templateId} is not a template of store ${storeId} or a shared one`,
    },
  ]);
}
