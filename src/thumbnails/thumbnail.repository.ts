import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ImageKind } from '../events/dto/history-event.dto';

/** An image's hash and size, and the thumbnail kept of it (with the hash of the bytes it was made from). */
export interface ThumbnailSourceRow {
  sha256: Buffer;
  byte_size: number;
  thumbnail_sha256: Buffer | null;
  thumbnail: Buffer | null;
}

export type EventImageSourceRow = ThumbnailSourceRow & { event_id: string; kind: ImageKind };
export type GalleryFaceSourceRow = ThumbnailSourceRow & { id: string };

/** Thumbnails of event images (event_image_thumbnail) and gallery faces (gallery_face_thumbnail), next to their sources. */
@Injectable()
export class ThumbnailRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The event image and its thumbnail of `size` (the thumbnail's bytes only `withData`). */
  async findEventImage(eventId: string, kind: ImageKind, size: number, withData: boolean): Promise<ThumbnailSourceRow | null> {
    const [row]: ThumbnailSourceRow[] = await this.dataSource.query(
      `SELECT i.sha256, i.byte_size, t.source_sha256 AS thumbnail_sha256, ${withData ? 't.data' : 'NULL::bytea'} AS thumbnail
         FROM history_event_image i
         LEFT JOIN event_image_thumbnail t ON t.event_id = i.event_id AND t.kind = i.kind AND t.size = $3
        WHERE i.event_id = $1 AND i.kind = $2`,
      [eventId, kind, size],
    );
    return row ?? null;
  }

  /** The non-empty ones of these event images, with their thumbnails of `size`. */
  findEventImages(pairs: { eventId: string; kind: ImageKind }[], size: number): Promise<EventImageSourceRow[]> {
    return this.dataSource.query(
      `SELECT i.event_id, i.kind, i.sha256, i.byte_size, t.source_sha256 AS thumbnail_sha256, t.data AS thumbnail
         FROM unnest($1::bigint[], $2::varchar[]) AS wanted(event_id, kind)
         JOIN history_event_image i ON i.event_id = wanted.event_id AND i.kind = wanted.kind
         LEFT JOIN event_image_thumbnail t ON t.event_id = i.event_id AND t.kind = i.kind AND t.size = $3
        WHERE i.byte_size > 0`,
      [pairs.map((pair) => pair.eventId), pairs.map((pair) => pair.kind), size],
    );
  }

  async eventExists(eventId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM history_event WHERE id = $1', [eventId]);
    return rows.length > 0;
  }

  async eventImageData(eventId: string, kind: ImageKind): Promise<Buffer> {
    const [{ data }]: { data: Buffer }[] = await this.dataSource.query(
      'SELECT data FROM history_event_image WHERE event_id = $1 AND kind = $2',
      [eventId, kind],
    );
    return data;
  }

  /** Keeps a thumbnail made from the image with hash `sourceSha256`, unless the image went meanwhile. */
  async saveEventImageThumbnail(
    eventId: string,
    kind: ImageKind,
    size: number,
    sourceSha256: Buffer,
    contentType: string,
    data: Buffer,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO event_image_thumbnail (event_id, kind, size, source_sha256, content_type, data)
       SELECT $1::bigint, $2::varchar, $3::smallint, $4::bytea, $5::varchar, $6::bytea
        WHERE EXISTS (SELECT 1 FROM history_event_image WHERE event_id = $1::bigint AND kind = $2::varchar)
       ON CONFLICT (event_id, kind, size) DO UPDATE
         SET source_sha256 = excluded.source_sha256, data = excluded.data, created_at = now()`,
      [eventId, kind, size, sourceSha256, contentType, data],
    );
  }

  /** The identity's current face, or a face by id, and its thumbnail of `size` (the thumbnail's bytes only `withData`). */
  async findGalleryFace(
    face: { identityId: string } | { faceId: string },
    size: number,
    withData: boolean,
  ): Promise<GalleryFaceSourceRow | null> {
    const byIdentity = 'identityId' in face;
    const [row]: GalleryFaceSourceRow[] = await this.dataSource.query(
      `SELECT f.id, f.sha256, f.byte_size, t.source_sha256 AS thumbnail_sha256, ${withData ? 't.data' : 'NULL::bytea'} AS thumbnail
         FROM gallery_face f
         LEFT JOIN gallery_face_thumbnail t ON t.face_id = f.id AND t.size = $2
        WHERE ${byIdentity ? 'f.gallery_identity_id = $1 AND f.replaced_at IS NULL' : 'f.id = $1'}`,
      [byIdentity ? face.identityId : face.faceId, size],
    );
    return row ?? null;
  }

  async galleryFaceData(faceId: string): Promise<Buffer> {
    const [{ data }]: { data: Buffer }[] = await this.dataSource.query('SELECT data FROM gallery_face WHERE id = $1', [faceId]);
    return data;
  }

  /** Keeps a face's thumbnail, unless the face went meanwhile. */
  async saveGalleryFaceThumbnail(faceId: string, size: number, sourceSha256: Buffer, contentType: string, data: Buffer): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO gallery_face_thumbnail (face_id, size, source_sha256, content_type, data)
       SELECT $1::bigint, $2::smallint, $3::bytea, $4::varchar, $5::bytea WHERE EXISTS (SELECT 1 FROM gallery_face WHERE id = $1::bigint)
       ON CONFLICT (face_id, size) DO UPDATE SET source_sha256 = excluded.source_sha256, data = excluded.data, created_at = now()`,
      [faceId, size, sourceSha256, contentType, data],
    );
  }
}
