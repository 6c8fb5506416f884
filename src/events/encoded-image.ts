import { createHash } from 'node:crypto';
import type { ImageDigest } from './event-content';

export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp'] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

/** An image field as the box sent it, decoded once: the bytes, and what it takes to re-encode it exactly. */
export class DecodedImage {
  constructor(
    readonly bytes: Buffer,
    /** null only for an empty string, which the box sends for a switched-off image. */
    readonly contentType: ImageContentType | null,
    /** `data:image/jpeg;base64,` when the box sent one, kept verbatim. */
    readonly dataUrlPrefix: string | null,
  ) {}

  private computedSha256?: Buffer;

  /** Computed once: the stored row and the event's content key both need it. */
  sha256(): Buffer {
    this.computedSha256 ??= createHash('sha256').update(this.bytes).digest();
    return this.computedSha256;
  }

  digest(): ImageDigest {
    return { sha256: this.sha256().toString('hex'), byte_size: this.bytes.length, data_url_prefix: this.dataUrlPrefix };
  }
}

/** The field's original text: the same prefix, and the base64 that `decodeImage` accepted (it is canonical). */
export function encodeImage(bytes: Buffer, dataUrlPrefix: string | null): string {
  return (dataUrlPrefix ?? '') + bytes.toString('base64');
}

/** An image field that could not be decoded, with the reason. */
export class UndecodableImage {
  constructor(readonly reason: string) {}
}

/**
 * The one data URL prefix an image field may carry: `data:image/<type>;base64,`, the type one of
 * the accepted formats or a spelling encoders use for them (`jpg`, `pjpeg`, `x-ms-bmp`), in any
 * case, without parameters. Anything else (`data:text/html;base64,`, `;name=a.exe`) would be
 * kept and given back verbatim with the event: it is refused. The type need not match the bytes
 * (the served type is read from them).
 */
const IMAGE_DATA_URL = /^data:image\/(?:jpeg|jpg|pjpeg|png|gif|webp|bmp|x-ms-bmp|x-bmp);base64,/i;
const DATA_URL_LIKE = /^\s*data:/i;

/**
 * Decodes a base64 image, with or without a `data:image/...;base64,` prefix, without running a
 * regular expression over the whole string. Only canonical base64 passes, the text that
 * re-encoding the bytes gives back, so the stored bytes rebuild the original text exactly.
 */
export function decodeImage(text: string): DecodedImage | UndecodableImage {
  let dataUrlPrefix: string | null = null;
  let base64 = text;
  if (DATA_URL_LIKE.test(text.slice(0, 16))) {
    const match = IMAGE_DATA_URL.exec(text.slice(0, 64));
    if (!match) {
      return new UndecodableImage(
        'has a data: prefix other than data:image/<jpeg|jpg|png|gif|webp|bmp>;base64, (no other type, no parameters)',
      );
    }
    dataUrlPrefix = match[0];
    base64 = text.slice(dataUrlPrefix.length);
  }
  if (base64.length === 0) return new DecodedImage(Buffer.alloc(0), null, dataUrlPrefix);
  if (base64.length % 4 !== 0) {
    return new UndecodableImage('is not base64: its length is not a multiple of 4 (truncated or unpadded)');
  }
  const bytes = Buffer.from(base64, 'base64');
  if (!isCanonicalBase64(base64, bytes)) {
    return new UndecodableImage('is not base64: it holds characters outside the standard base64 alphabet');
  }
  const contentType = sniffImageType(bytes);
  if (!contentType) return new UndecodableImage('is not an image: its bytes are not JPEG, PNG, GIF, WebP or BMP');
  return new DecodedImage(bytes, contentType, dataUrlPrefix);
}

/**
 * True when `bytes.toString('base64')` would give `text` back, without building that string.
 * Node's decoder skips characters outside the alphabet (so they shorten the output) and also
 * takes the URL-safe `-` and `_`; only the last group can hold non-zero padding bits.
 */
function isCanonicalBase64(text: string, bytes: Buffer): boolean {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (bytes.length !== (text.length / 4) * 3 - padding) return false;
  if (text.includes('-') || text.includes('_')) return false;
  const lastGroup = bytes.subarray(Math.floor((bytes.length - 1) / 3) * 3);
  return lastGroup.toString('base64') === text.slice(-4);
}

/**
 * The Content-Type image bytes are served with: read from the bytes at that moment, never from
 * what a client sent (a data URL type, a part's type or file name), with octet-stream for bytes
 * that are no image (none is stored: the check at upload refuses them).
 */
export function servedContentType(bytes: Buffer): ImageContentType | 'application/octet-stream' {
  return sniffImageType(bytes) ?? 'application/octet-stream';
}

/** The image type read from the file's signature, whatever the data URL claims. */
export function sniffImageType(bytes: Buffer): ImageContentType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.readBigUInt64BE(0) === 0x89504e470d0a1a0an) return 'image/png';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) return 'image/gif';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return 'image/webp';
  }
  if (bytes.length >= 14 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'image/bmp';
  return null;
}
