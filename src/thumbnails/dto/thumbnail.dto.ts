import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { IsDatabaseId, ToNumber } from '../../common/query-params';
import { IMAGE_KINDS, ImageKind } from '../../events/dto/history-event.dto';
import { THUMBNAIL_SIZES, ThumbnailSize } from '../thumbnail-maker';

export class ThumbnailQueryDto {
  @ApiPropertyOptional({ description: 'Longest side in pixels', enum: THUMBNAIL_SIZES, default: 192 })
  @ToNumber()
  @IsIn(THUMBNAIL_SIZES, { message: `size must be one of ${THUMBNAIL_SIZES.join(', ')}` })
  size: ThumbnailSize = 192;
}

export class EventThumbnailParams {
  @ApiProperty({ description: 'The event id', example: '41' })
  @IsDatabaseId()
  id: string;

  @ApiProperty({ description: 'Which image', enum: IMAGE_KINDS })
  @IsIn(IMAGE_KINDS, { message: `kind must be one of ${IMAGE_KINDS.join(', ')}` })
  kind: ImageKind;
}

export class IdentityThumbnailParams {
  @ApiProperty({ description: 'The gallery identity id', example: '7' })
  @Matches(/^[1-9]\d{0,17}$/, { message: 'id must be a gallery identity id (a positive whole number)' })
  id: string;
}

export class FaceThumbnailParams {
  @ApiProperty({ description: 'The gallery face id (`faces[].id` of an identity)', example: '12' })
  @Matches(/^[1-9]\d{0,17}$/, { message: 'faceId must be a gallery face id (a positive whole number)' })
  faceId: string;
}

/** At most this many thumbnails per batch: two pages of a grid. */
export const MAX_BATCH = 100;
const PAIR = `[1-9]\\d{0,18}:(${IMAGE_KINDS.join('|')})`;

export class ThumbnailBatchQueryDto extends ThumbnailQueryDto {
  @ApiProperty({
    description: `Up to ${MAX_BATCH} images, comma-separated, each \`<event id>:<kind>\``,
    example: '41:recognize_face,42:spot_pic',
  })
  @IsString({ message: '$property must be given once, as text' })
  @Matches(new RegExp(`^${PAIR}(,${PAIR}){0,${MAX_BATCH - 1}}$`), {
    message: `images must be 1 to ${MAX_BATCH} comma-separated <event id>:<kind> pairs, kind one of ${IMAGE_KINDS.join(', ')}`,
  })
  images: string;

  pairs(): { eventId: string; kind: ImageKind }[] {
    return [...new Set(this.images.split(','))].map((pair) => {
      const [eventId, kind] = pair.split(':');
      return { eventId, kind: kind as ImageKind };
    });
  }
}

export class BatchThumbnailDto {
  @ApiProperty({ example: '41' })
  event_id: string;

  @ApiProperty({ enum: IMAGE_KINDS })
  kind: ImageKind;

  @ApiProperty({ description: 'The ETag the single-thumbnail route answers with' })
  etag: string;

  @ApiProperty({ example: 'image/webp' })
  content_type: string;

  @ApiProperty({ description: 'The thumbnail, base64' })
  data_base64: string;
}

export class ThumbnailBatchDto {
  @ApiProperty({
    type: [BatchThumbnailDto],
    description: 'The thumbnails of the images that exist and decode, in request order; the others are left out',
  })
  items: BatchThumbnailDto[];
}
