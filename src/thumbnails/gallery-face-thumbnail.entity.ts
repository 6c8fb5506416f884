import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { GalleryFaceEntity } from '../gallery/entities/gallery-face.entity';

/** A small copy of a gallery face, made on first request; it goes with its face. */
@Entity('gallery_face_thumbnail')
export class GalleryFaceThumbnailEntity {
  @PrimaryColumn({ name: 'face_id', type: 'bigint' })
  faceId: string;

  /** The longest side, in pixels. */
  @PrimaryColumn({ type: 'smallint' })
  size: number;

  @ManyToOne(() => GalleryFaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'face_id' })
  face?: Relation<GalleryFaceEntity>;

  @Column({ name: 'source_sha256', type: 'bytea' })
  sourceSha256: Buffer;

  @Column({ name: 'content_type', type: 'varchar', length: 32 })
  contentType: string;

  @Column({ type: 'bytea' })
  data: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
