import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MessageTemplate } from './entities/message-template.entity';

/**
 * The queries other modules make of the message templates (table message_templates), each behind a typed method;
 * they reach it through the ports they declare (bound in src/composition.module.ts).
 */
@Injectable()
export class MessageTemplateRepository {
  /** Whether template `id` exists and is store `storeId`'s or a shared one, in the caller's transaction. */
  async usableBy(manager: EntityManager, id: number, storeId: number): Promise<boolean> {
    const template = await manager.findOneBy(MessageTemplate, { id });
    return template !== null && (template.storeId === null || template.storeId === storeId);
  }

  /** Template `id` if it is a daily summary template, in the caller's transaction. */
  async summaryTemplate(manager: EntityManager, id: number): Promise<MessageTemplate | null> {
    return manager.findOneBy(MessageTemplate, { id, purpose: 'daily_summary' });
  }
}
