import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MSG_TYPES, MsgType } from '../../dingtalk/outgoing-message';
import { TemplatePurpose } from '../template-variables';

export { MSG_TYPES };
export type { MsgType };

/** A message template: the title and body of a bot's notifications, with `{{variables}}`. */
@Entity({ name: 'message_templates' })
@Index('idx_message_templates_store', ['storeId'])
export class MessageTemplate {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** null: a template every store may use (only an admin manages those). */
  @Column({ name: 'store_id', type: 'integer', nullable: true })
  storeId: number | null;

  @Column({ name: 'msg_type', type: 'varchar', length: 16 })
  msgType: MsgType;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  /**
   * What the template renders, and so which variables it may use: a menu report's notification, or the daily
   * summary. A bot whose template is a summary template sends its reports with the built-in message.
   */
  @Column({ type: 'varchar', length: 16, default: 'report' })
  purpose: TemplatePurpose;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
