import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { HistoryEventEntity } from '../../events/entities/history-event.entity';
import type { HookType } from '../../events/entities/hook.entity';
import { GalleryFaceEntity } from './gallery-face.entity';
import { GalleryIdentityEntity } from './gallery-identity.entity';

export const GALLERY_OUTCOMES = ['registered', 'already_registered', 'identity_created', 'face_replaced', 'rejected'] as const;
export type GalleryOutcome = (typeof GALLERY_OUTCOMES)[number];

/**
 * What the gallery did with one hook: the registration history of an identity, and the record of
 * rejected attempts with their reason. One row per hook id, which makes handling a hook twice a
 * no-op.
 */
@Entity('gallery_change')
@Check('gallery_change_outcome', `"outcome" IN ('registered', 'already_registered', 'identity_created', 'face_replaced', 'rejected')`)
@Index('gallery_change_of_identity', ['galleryIdentityId', 'id'])
@Index('gallery_change_by_outcome', ['outcome', 'id'])
// The console's counts of what the gallery did in a time range (registered vs refused today).
@Index('gallery_change_created_at', ['createdAt'])
export class GalleryChangeEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'hook_id', type: 'uuid', unique: true })
  hookId: string;

  @Column({ name: 'hook_type', type: 'varchar', length: 32 })
  hookType: HookType;

  @Index('gallery_change_event_id')
  @Column({ name: 'event_id', type: 'bigint', nullable: true })
  eventId: string | null;

  @ManyToOne(() => HistoryEventEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<HistoryEventEntity>;

  @Column({ name: 'group_name', type: 'text' })
  groupName: string;

  /** The box's identity_id. */
  @Column({ name: 'identity_id', type: 'text' })
  identityId: string;

  /** The gallery identity it concerns; null for a rejected registration, which creates none. */
  @Column({ name: 'gallery_identity_id', type: 'bigint', nullable: true })
  galleryIdentityId: string | null;

  @ManyToOne(() => GalleryIdentityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gallery_identity_id' })
  identity?: Relation<GalleryIdentityEntity>;

  /** The face it registered, if it registered one. */
  @Column({ name: 'face_id', type: 'bigint', nullable: true })
  faceId: string | null;

  @ManyToOne(() => GalleryFaceEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'face_id' })
  face?: Relation<GalleryFaceEntity>;

  @Column({ type: 'varchar', length: 24 })
  outcome: GalleryOutcome;

  /** Why it was rejected (or why nothing changed), in words. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
