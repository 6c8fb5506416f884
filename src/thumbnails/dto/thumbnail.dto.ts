import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
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
