import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import type { ImageKind } from '../../events/dto/history-event.dto';
import { HistoryEventEntity } from '../../events/entities/history-event.entity';
import { GalleryIdentityEntity } from './gallery-identity.entity';

/**
 * A face image registered for an identity: the current one (`replaced_at` null) and the ones it
 * replaced, kept as history. The bytes are a copy, not a reference to the event's image: the
 * gallery must outlive the retention of events and their images (and the migration stores them
 * uncompressed, as JPEG does not compress); `event_id` still says where the face came from.
 */
@Entity('gallery_face')
@Index('gallery_face_current', ['galleryIdentityId'], { unique: true, where: '"replaced_at" IS NULL' })
@Index('gallery_face_of_identity', ['galleryIdentityId', 'id'])
export class GalleryFaceEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'gallery_identity_id', type: 'bigint' })
  galleryIdentityId: string;

  @ManyToOne(() => GalleryIdentityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gallery_identity_id' })
  identity?: Relation<GalleryIdentityEntity>;

  /** The hook that brought it. */
  @Column({ name: 'hook_id', type: 'uuid' })
  hookId: string;

  /** The event it was taken from; null once retention removed that event. */
  @Index('gallery_face_event_id')
  @Column({ name: 'event_id', type: 'bigint', nullable: true })
  eventId: string | null;

  @ManyToOne(() => HistoryEventEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<HistoryEventEntity>;

  /** Which of the event's images it is. */
  @Column({ name: 'image_kind', type: 'varchar', length: 16 })
  imageKind: ImageKind;

  @Column({ name: 'content_type', type: 'varchar', length: 32 })
  contentType: string;

  @Column({ name: 'byte_size', type: 'integer' })
  byteSize: number;

  @Column({ type: 'bytea' })
  sha256: Buffer;

  @Column({ type: 'bytea' })
  data: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  /** When a newer face took its place; null for the current face. */
  @Column({ name: 'replaced_at', type: 'timestamptz', nullable: true })
  replacedAt: Date | null;
}
