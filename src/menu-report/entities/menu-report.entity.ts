import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const REPORT_SOURCES = ['api', 'dingtalk'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

/** Where a report's id comes from (its SERIAL column's sequence): taken before the write, which its messages carry. */
export const MENU_REPORT_ID_SEQUENCE = 'menu_reports_id_seq';

/** A dish prepared in a store (报菜). */
@Entity({ name: 'menu_reports' })
@Index('idx_menu_reports_store_created', ['storeId', 'createdAt'])
export class MenuReport {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'store_id', type: 'integer' })
  storeId: number;

  @Column({ name: 'dish_id', type: 'integer', nullable: true })
  dishId: number | null;

  @Column({ name: 'dish_name', type: 'varchar', length: 100, nullable: true })
  dishName: string | null;

  /** numeric in the database (2.5 斤 is a quantity); TypeORM hands numerics over as strings, hence the transformer. */
  @Column({
    type: 'numeric',
    precision: 12,
    scale: 3,
    transformer: {
      to: (value: number) => value,
      from: (value: string | null) => (value === null ? null : Number(value)),
    },
  })
  quantity: number;

  @Column({ type: 'varchar', length: 20 })
  unit: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  remark: string | null;

  /** Who reported it: the token's `sub`, or the DingTalk staff member who wrote 报菜. */
  @Column({ name: 'reported_by', type: 'varchar', length: 100 })
  reportedBy: string;

  @Column({ type: 'varchar', length: 16, default: 'api' })
  source: ReportSource;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
