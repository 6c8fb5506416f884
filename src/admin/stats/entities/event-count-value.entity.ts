import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The values the slot counts are about (a person type, a dev_sno, an ep_id...), each once: the
 * counts refer to them by id, so that their index entries stay small however long a value is.
 */
@Entity('event_count_value')
// Unique text_digest(value): created by the migration (src/database/long-text.ts).
@Index('event_count_value_key', { synchronize: false })
export class EventCountValueEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'ALWAYS' })
  id: number;

  @Column({ type: 'text' })
  value: string;
}
