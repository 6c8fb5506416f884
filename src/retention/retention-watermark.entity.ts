import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How far a retention task that keeps the events (removing only their images) has got: every
 * event with an id up to `last_event_id` has been dealt with, so a run starts after it.
 */
@Entity('retention_watermark')
export class RetentionWatermarkEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  task: string;

  @Column({ name: 'last_event_id', type: 'bigint', default: 0 })
  lastEventId: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
