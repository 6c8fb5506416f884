import { Injectable, NotFoundException } from '@nestjs/common';
import { cpus } from 'node:os';
import type { ImageKind } from '../events/dto/history-event.dto';
import { THUMBNAIL_CONTENT_TYPE, ThumbnailMaker, ThumbnailSize } from './thumbnail-maker';
import { ThumbnailRepository, ThumbnailSourceRow } from './thumbnail.repository';

/** A thumbnail to answer with: its source's hash (for the ETag) and, unless only the ETag was asked for, its bytes. */
export interface Thumbnail {
  sourceSha256: Buffer;
  contentType: string;
  data?: Buffer;
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

  constructor(private readonly repository: ThumbnailRepository) {}

  async ofEventImage(eventId: string, kind: ImageKind, size: ThumbnailSize, withData: boolean): Promise<Thumbnail> {
    const row = await this.repository.findEventImage(eventId, kind, size, withData);
    if (!row) {
      const exists = await this.repository.eventExists(eventId);
      throw new NotFoundException(exists ? `event ${eventId} has no ${kind}` : `no event ${eventId}`);
    }
    if (row.byte_size === 0) throw new NotFoundException(`event ${eventId} has no ${kind}: the box sent it empty`);
    return this.answer(row, withData, `e:${eventId}:${kind}:${size}`, async () => {
      const thumbnail = await this.maker.make(await this.repository.eventImageData(eventId, kind), size);
      await this.repository.saveEventImageThumbnail(eventId, kind, size, row.sha256, THUMBNAIL_CONTENT_TYPE, thumbnail);
      return thumbnail;
    });
  }

  /**
   * Thumbnails of many event images in one go (a page of a grid): one query for those already
   * made, the others made as one request would make them. Images that are missing, empty or do
   * not decode are left out.
   */
  async ofEventImages(
    pairs: { eventId: string; kind: ImageKind }[],
    size: ThumbnailSize,
  ): Promise<({ eventId: string; kind: ImageKind } & Required<Thumbnail>)[]> {
    const rows = await this.repository.findEventImages(pairs, size);
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
    const row = await this.repository.findGalleryFace(face, size, withData);
    if (!row) {
      throw new NotFoundException(
        'identityId' in face ? `gallery identity ${face.identityId} has no face` : `there is no gallery face ${face.faceId}`,
      );
    }
    return this.answer(row, withData, `f:${row.id}:${size}`, async () => {
      const thumbnail = await this.maker.make(await this.repository.galleryFaceData(row.id), size);
      await this.repository.saveGalleryFaceThumbnail(row.id, size, row.sha256, THUMBNAIL_CONTENT_TYPE, thumbnail);
      return thumbnail;
    });
  }

  private async answer(row: ThumbnailSourceRow, withData: boolean, key: string, make: () => Promise<Buffer>): Promise<Thumbnail> {
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
