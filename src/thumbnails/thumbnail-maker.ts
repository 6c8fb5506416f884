import { UnprocessableEntityException } from '@nestjs/common';
import type { Sharp, SharpOptions } from 'sharp';
import { Slots } from '../common/slots';

/** The longest side of a thumbnail, in pixels: list rows, grid tiles, large tiles (at 2x pixel density). */
export const THUMBNAIL_SIZES = [96, 192, 384] as const;
export type ThumbnailSize = (typeof THUMBNAIL_SIZES)[number];
export const THUMBNAIL_CONTENT_TYPE = 'image/webp';
/** Part of every thumbnail's ETag: changing how thumbnails are made changes it. */
export const THUMBNAIL_VERSION = 'w1';

/** Larger images are refused rather than decoded: a small file can claim an enormous canvas. */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Makes WebP thumbnails with sharp (libvips), a few at a time: decoding runs on libuv's thread
 * pool and a burst of requests must not take every core from the uploads. sharp is loaded on the
 * first thumbnail: libvips adds ~25 MB to the resident memory of a service nobody browses.
 */
export class ThumbnailMaker {
  private readonly slots: Slots;

  constructor(concurrency: number) {
    this.slots = new Slots(concurrency);
  }

  private sharp?: (input: Buffer, options: SharpOptions) => Sharp;

  async make(image: Buffer, size: ThumbnailSize): Promise<Buffer> {
    this.sharp ??= (await import('sharp')).default;
    const sharp = this.sharp;
    await new Promise<void>((resolve) => {
      this.slots.take(resolve);
    });
    try {
      return await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false })
        .rotate()
        .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 70, effort: 2 })
        .toBuffer();
    } catch (error) {
      throw new UnprocessableEntityException(`the image could not be made into a thumbnail: ${(error as Error).message}`);
    } finally {
      this.slots.give();
    }
  }
}

export const thumbnailEtag = (sourceSha256: Buffer, size: number) => `"${sourceSha256.toString('hex')}-${size}-${THUMBNAIL_VERSION}"`;
