import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { cpus } from 'node:os';
import type { DataSource } from 'typeorm';
import type { ImageKind } from '../events/dto/history-event.dto';
import { THUMBNAIL_CONTENT_TYPE, ThumbnailMaker, ThumbnailSize } from './thumbnail-maker';

/** A thumbnail to answer with: its source's hash (for the ETag) and, unless only the ETag was asked for, its bytes. */
export interface Thumbnail {
  sourceSha256: Buffer;
  contentType: string;
  data?: Buffer;
}

interface SourceRow {
  sha256: Buffer;
  byte_size: number;
  thumbnail_sha256: Buffer | null;
  thumbnail: Buffer | null;
}

/**
 * Thumbnails of event images and gallery faces, made on first request and kept in the database
 * next to their source (a foreign key removes them with it); one made from other bytes (another
 * sha256) is made again.
 */
@Injectable()
export class ThumbnailsService {
  private readonly maker = new ThumbnailMaker(Math.max(1, cpus().length));
  /** Requests for a thumbnail being made wait for it instead of making it again. */
  private readonly making = new Map<string, Promise<Buffer>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async ofEventImage(eventId: string, kind: ImageKind, size: ThumbnailSize, withData: boolean): Promise<Thumbnail> {
    const [row]: SourceRow[] = await this.dataSource.query(
      `SELECT i.sha256, i.byte_size, t.source_sha256 AS thumbnail_sha256, ${withData ? 't.data' : 'NULL::bytea'} AS thumbnail
         FROM history_event_image i
         LEFT JOIN event_image_thumbnail t ON t.event_id = i.event_id AND t.kind = i.kind AND t.size = $3
        WHERE i.event_id = $1 AND i.kind = $2`,
      [eventId, kind, size],
    );
    if (!row) {
      const [event] = await this.dataSource.query('SELECT 1 FROM history_event WHERE id = $1', [eventId]);
      throw new NotFoundException(event ? `event ${eventId} has no ${kind}` : `no event ${eventId}`);
    }
    if (row.byte_size === 0) throw new NotFoundException(`event ${eventId} has no ${kind}: the box sent it empty`);
    return this.answer(row, withData, `e:${eventId}:${kind}:${size}`, async () => {
      const [{ data }]: { data: Buffer }[] = await this.dataSource.query(
        'SELECT data FROM history_event_image WHERE event_id = $1 AND kind = $2',
        [eventId, kind],
      );
      const thumbnail = await this.maker.make(data, size);
      await this.dataSource.query(
        `INSERT INTO event_image_thumbnail (event_id, kind, size, source_sha256, content_type, data)
         SELECT $1::bigint, $2::varchar, $3::smallint, $4::bytea, $5::varchar, $6::bytea
          WHERE EXISTS (SELECT 1 FROM history_event_image WHERE event_id = $1::bigint AND kind = $2::varchar)
         ON CONFLICT (event_id, kind, size) DO UPDATE
           SET source_sha256 = excluded.source_sha256, data = excluded.data, created_at = now()`,
        [eventId, kind, size, row.sha256, THUMBNAIL_CONTENT_TYPE, thumbnail],
      );
      return thumbnail;
    });
  }

  /**
   * Thumbnails of many event images in one go (a page of a grid): one query for those already
   * made, the others made as one request would make them. Images that are missing, empty or do
   * not decode are left out.
   */
  async ofEventImages(pairs: { eventId: string; kind: ImageKind }[], size: ThumbnailSize): Promise<({ eventId: string; kind: ImageKind } & Required<Thumbnail>)[]> {
    const rows: (SourceRow & { event_id: string; kind: ImageKind })[] = await this.dataSource.query(
      `SELECT i.event_id, i.kind, i.sha256, i.byte_size, t.source_sha256 AS thumbnail_sha256, t.data AS thumbnail
         FROM unnest($1::bigint[], $2::varchar[]) AS wanted(event_id, kind)
         JOIN history_event_image i ON i.event_id = wanted.event_id AND i.kind = wanted.kind
         LEFT JOIN event_image_thumbnail t ON t.event_id = i.event_id AND t.kind = i.kind AND t.size = $3
        WHERE i.byte_size > 0`,
      [pairs.map((pair) => pair.eventId), pairs.map((pair) => pair.kind), size],
    );
    const found = new Map(rows.map((row) => [`${row.event_id}:${row.kind}`, row]));
    const made = await Promise.all(
      pairs.map(async ({ eventId, kind }) => {
        const row = found.get(`${eventId}:${kind}`);
        if (!row) return null;
        const thumbnail =
          row.thumbnail && row.thumbnail_sha256?.equals(row.sha256)
            ? { sourceSha256: row.sha256, contentType: THUMBNAIL_CONTENT_TYPE, data: row.thumbnail }
            : await this.ofEventImage(eventId, kind, size, true).catch(() => null);
        return thumbnail?.data ? { eventId, kind, ...thumbnail, data: thumbnail.data } : null;
      }),
    );
    return made.filter((entry) => entry !== null);
  }

  /** A gallery face's thumbnail: the identity's current face, or any face of its history by id. */
  async ofGalleryFace(face: { identityId: string } | { faceId: string }, size: ThumbnailSize, withData: boolean): Promise<Thumbnail> {
    const byIdentity = 'identityId' in face;
    const [row]: (SourceRow & { id: string })[] = await this.dataSource.query(
      `SELECT f.id, f.sha256, f.byte_size, t.source_sha256 AS thumbnail_sha256, ${withData ? 't.data' : 'NULL::bytea'} AS thumbnail
         FROM gallery_face f
         LEFT JOIN gallery_face_thumbnail t ON t.face_id = f.id AND t.size = $2
        WHERE ${byIdentity ? 'f.gallery_identity_id = $1 AND f.replaced_at IS NULL' : 'f.id = $1'}`,
      [byIdentity ? face.identityId : face.faceId, size],
    );
    if (!row) {
      throw new NotFoundException(byIdentity ? `gallery identity ${face.identityId} has no face` : `there is no gallery face ${face.faceId}`);
    }
    return this.answer(row, withData, `f:${row.id}:${size}`, async () => {
      const [{ data }]: { data: Buffer }[] = await this.dataSource.query('SELECT data FROM gallery_face WHERE id = $1', [row.id]);
      const thumbnail = await this.maker.make(data, size);
      await this.dataSource.query(
        `INSERT INTO gallery_face_thumbnail (face_id, size, source_sha256, content_type, data)
         SELECT $1::bigint, $2::smallint, $3::bytea, $4::varchar, $5::bytea WHERE EXISTS (SELECT 1 FROM gallery_face WHERE id = $1::bigint)
         ON CONFLICT (face_id, size) DO UPDATE SET source_sha256 = excluded.source_sha256, data = excluded.data, created_at = now()`,
        [row.id, size, row.sha256, THUMBNAIL_CONTENT_TYPE, thumbnail],
      );
      return thumbnail;
    });
  }

  private async answer(row: SourceRow, withData: boolean, key: string, make: () => Promise<Buffer>): Promise<Thumbnail> {
    const thumbnail = { sourceSha256: row.sha256, contentType: THUMBNAIL_CONTENT_TYPE };
    if (!withData) return thumbnail;
    if (row.thumbnail && row.thumbnail_sha256?.equals(row.sha256)) return { ...thumbnail, data: row.thumbnail };
    let making = this.making.get(key);
    if (!making) {
      making = make().finally(() => this.making.delete(key));
      this.making.set(key, making);
    }
    return { ...thumbnail, data: await making };
  }
}
