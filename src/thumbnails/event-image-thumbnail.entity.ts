import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import type { ImageKind } from '../events/dto/history-event.dto';
import { HistoryEventImageEntity } from '../events/entities/history-event-image.entity';

/**
 * A small copy of an event's image, made on first request. It goes with its image (retention
 * removes both), and is made again when the image's sha256 no longer matches `sourceSha256`.
 */
@Entity('event_image_thumbnail')
export class EventImageThumbnailEntity {
  @PrimaryColumn({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  kind: ImageKind;

  /** The longest side, in pixels. */
  @PrimaryColumn({ type: 'smallint' })
  size: number;

  @ManyToOne(() => HistoryEventImageEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'event_id', referencedColumnName: 'eventId' },
    { name: 'kind', referencedColumnName: 'kind' },
  ])
  image?: Relation<HistoryEventImageEntity>;

  @Column({ name: 'source_sha256', type: 'bytea' })
  sourceSha256: Buffer;

  @Column({ name: 'content_type', type: 'varchar', length: 32 })
  contentType: string;

  @Column({ type: 'bytea' })
  data: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
