import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A DingTalk enterprise internal app (docs/dingtalk-apps.md): set up once for a chain, its robot in every store's
 * group, referred to by any number of stream bots (`ding_talk_bots.app_id`). `client_secret` holds a sealed value
 * (SecretBox) that no response shows.
 */
@Entity({ name: 'dingtalk_apps' })
export class DingTalkApp {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** The AppKey: DingTalk's name of the app, unique here (one row per app). */
  @Column({ name: 'client_id', type: 'varchar', length: 128 })
  clientId: string;

  @Column({ name: 'client_secret', type: 'text' })
  sealedClientSecret: string;

  @Column({ name: 'agent_id', type: 'varchar', length: 20, nullable: true })
  agentId: string | null;

  /**
   * The store of the first bot attached to the app, and when a bot of another store was first attached (null: never).
   * A shared app stays shared (other stores' groups still have its robot): its only bot without a group takes no
   * group's messages (docs/dingtalk-apps.md). Written only by DingTalkAppRepository.markAttached, never by a save.
   */
  @Column({ name: 'first_store_id', type: 'integer', nullable: true, insert: false, update: false })
  firstStoreId: number | null;

  @Column({ name: 'shared_since', type: 'timestamptz', nullable: true, insert: false, update: false })
  sharedSince: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
