import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import type { ImageKind } from '../dto/history-event.dto';
import { HistoryEventEntity } from './history-event.entity';

/**
 * One image of an event, decoded. Kept out of the event rows so that queries on events stay
 * lean; the migration stores `data` uncompressed (STORAGE EXTERNAL), since JPEG does not compress.
 */
@Entity('history_event_image')
@Check('history_event_image_kind', `"kind" IN ('reg_pic', 'spot_pic', 'recognize_face')`)
export class HistoryEventImageEntity {
  @PrimaryColumn({ name: 'event_id', type: 'bigint' })
  eventId: string;

  /** `reg_pic` (top level), `spot_pic` or `recognize_face` (in ext_data). */
  @PrimaryColumn({ type: 'varchar', length: 16 })
  kind: ImageKind;

  @ManyToOne(() => HistoryEventEntity, (event) => event.images, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<HistoryEventEntity>;

  /** Read from the bytes; null for an empty image (the box sends "" when one is switched off). */
  @Column({ name: 'content_type', type: 'varchar', length: 32, nullable: true })
  contentType: string | null;

  @Column({ name: 'byte_size', type: 'integer' })
  byteSize: number;

  @Column({ type: 'bytea' })
  sha256: Buffer;

  @Column({ type: 'bytea' })
  data: Buffer;

  /** `data:image/jpeg;base64,` when the box sent one, so that the original text can be rebuilt. */
  @Column({ name: 'data_url_prefix', type: 'text', nullable: true })
  dataUrlPrefix: string | null;
}
