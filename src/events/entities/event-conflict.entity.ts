import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import type { HookType } from './hook.entity';
import type { FieldDifference } from '../event-content';
import { HistoryEventEntity } from './history-event.entity';
import type { UploadFormat } from './quarantined-event.entity';

/**
 * A later copy of a stored event (the same dedup key) whose content differs: kept as it came,
 * for review, instead of being answered as a duplicate and dropped. Each distinct copy of an
 * event is kept once; it goes with its event, or after QUARANTINE_RETENTION_DAYS.
 */
@Entity('event_conflict')
@Check('event_conflict_format', `"format" IN ('json', 'form')`)
@Index('event_conflict_copy', ['eventId', 'contentKey'], { unique: true })
export class EventConflictEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** The stored event it is a copy of. */
  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @ManyToOne(() => HistoryEventEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<HistoryEventEntity>;

  /** The copy's content key (see `HistoryEventEntity.contentKey`). */
  @Column({ name: 'content_key', type: 'bytea' })
  contentKey: Buffer;

  /** The copy as JSON text, exactly as sent, base64 images included (a form upload as its JSON equivalent). */
  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 8 })
  format: UploadFormat;

  /** The top-level and ext_data fields that differ, with both values (images by digest). */
  @Column({ type: 'jsonb' })
  differences: FieldDifference[];

  /** The hook the copy's want_action asks for, which was not created: conflicts are for people to decide. */
  @Column({ name: 'withheld_hook', type: 'varchar', length: 32, nullable: true })
  withheldHook: HookType | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ name: 'received_from', type: 'inet', nullable: true })
  receivedFrom: string | null;
}
