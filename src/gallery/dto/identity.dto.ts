import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/page-query.dto';
import { IsDatabaseId, QueryText } from '../../common/query-params';
import { IMAGE_KINDS, ImageKind, MAX_TEXT_LENGTH } from '../../events/dto/history-event.dto';
import { HOOK_TYPES, HookType } from '../../events/entities/hook.entity';
import { GALLERY_OUTCOMES, GalleryChangeEntity, GalleryOutcome } from '../entities/gallery-change.entity';
import type { GalleryFaceEntity } from '../entities/gallery-face.entity';
import type { GalleryIdentityEntity } from '../entities/gallery-identity.entity';

export class IdentityListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the identities of this gallery group, exactly', example: 'default_group' })
  @IsOptional()
  @QueryText(MAX_TEXT_LENGTH)
  group_name?: string;

  @ApiPropertyOptional({ description: 'Only the identity with this box identity_id, exactly', example: '1602612036.3828533' })
  @IsOptional()
  @QueryText(MAX_TEXT_LENGTH)
  identity_id?: string;
}

export class GalleryChangeListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: GALLERY_OUTCOMES, description: 'Only the changes with this outcome; `rejected`: the refused registrations' })
  @IsOptional()
  @IsIn(GALLERY_OUTCOMES, { message: `outcome must be one of ${GALLERY_OUTCOMES.join(', ')}` })
  outcome?: GalleryOutcome;

  @ApiPropertyOptional({ enum: HOOK_TYPES, description: 'Only the changes of this hook type' })
  @IsOptional()
  @IsIn(HOOK_TYPES, { message: `hook_type must be one of ${HOOK_TYPES.join(', ')}` })
  hook_type?: HookType;

  @ApiPropertyOptional({ description: 'Only what the gallery did with the hooks of this event', example: '41' })
  @IsOptional()
  @IsDatabaseId({ message: 'event_id must be an event id (a positive whole number)' })
  event_id?: string;
}

export class IdentityIdParamsDto {
  @ApiProperty({ description: 'The gallery identity id (`id` in the identity list, not the box identity_id)', example: '7' })
  @Matches(/^[1-9]\d{0,17}$/, { message: 'id must be a gallery identity id (a positive whole number)' })
  id: string;
}

export class IdentityDto {
  @ApiProperty({ description: 'The gallery identity id', example: '7' })
  id: string;

  @ApiProperty({ example: 'default_group' })
  group_name: string;

  @ApiProperty({ description: "The box's identity_id", example: '1602612036.3828533' })
  identity_id: string;

  @ApiProperty({ example: 'stranger' })
  name: string;

  @ApiProperty({ description: '1 employee, 2 visitor, 3 blacklist, 4 stranger, 5 VIP, as the latest event said', example: 4 })
  person_type: number;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;

  @ApiProperty({ description: "Where the current face's bytes are served (admin API key required)", example: '/api/identities/7/face' })
  face_url: string;

  @ApiProperty({ description: 'A small WebP copy of the current face (`?size=96|192|384`)', example: '/api/identities/7/face/thumbnail' })
  face_thumbnail_url: string;
}

export class GalleryFaceDto {
  @ApiProperty({ example: '12' })
  id: string;

  @ApiProperty({ enum: IMAGE_KINDS, description: 'Which image of the event it was taken from' })
  image_kind: ImageKind;

  @ApiProperty({ example: 'image/jpeg' })
  content_type: string;

  @ApiProperty({ example: 37580 })
  byte_size: number;

  @ApiProperty({ description: 'sha256 of the bytes, hex' })
  sha256: string;

  @ApiProperty({ type: String, nullable: true, description: 'The event it was taken from; null once retention removed that event' })
  event_id: string | null;

  @ApiProperty({ format: 'uuid', description: 'The hook that brought it' })
  hook_id: string;

  @ApiProperty({ description: 'A small WebP copy of this face (`?size=96|192|384`)', example: '/api/gallery/faces/12/thumbnail' })
  thumbnail_url: string;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a newer face took its place; null for the current face',
  })
  replaced_at: string | null;
}

export class GalleryChangeDto {
  @ApiProperty({ format: 'uuid', description: 'The hook it handled (one change per hook)' })
  hook_id: string;

  @ApiProperty({ enum: HOOK_TYPES })
  hook_type: HookType;

  @ApiProperty({ type: String, nullable: true, description: 'The event that caused the hook; null once retention removed it' })
  event_id: string | null;

  @ApiProperty({ example: 'default_group' })
  group_name: string;

  @ApiProperty({ description: "The box's identity_id", example: '1602612036.3828533' })
  identity_id: string;

  @ApiProperty({ type: String, nullable: true, description: 'The gallery identity it concerns; null for a rejected registration' })
  gallery_identity_id: string | null;

  @ApiProperty({ enum: GALLERY_OUTCOMES })
  outcome: GalleryOutcome;

  @ApiProperty({ type: String, nullable: true, description: 'Why it was rejected (or why nothing changed), in words' })
  reason: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The face it registered, if it registered one' })
  face_id: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;
}

export class IdentityDetailDto extends IdentityDto {
  @ApiProperty({ type: [GalleryFaceDto], description: 'Every face it had, oldest first; the current one has replaced_at null' })
  faces: GalleryFaceDto[];

  @ApiProperty({ type: [GalleryChangeDto], description: 'What each hook about this identity did, oldest first' })
  history: GalleryChangeDto[];
}

export class IdentityPageDto {
  @ApiProperty({ type: [IdentityDto], description: 'Newest first' })
  items: IdentityDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  next_cursor: string | null;
}

export class GalleryChangePageDto {
  @ApiProperty({ type: [GalleryChangeDto], description: 'Newest first' })
  items: GalleryChangeDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  next_cursor: string | null;
}

export function mapIdentity(identity: GalleryIdentityEntity): IdentityDto {
  return {
    id: identity.id,
    group_name: identity.groupName,
    identity_id: identity.identityId,
    name: identity.name,
    person_type: identity.personType,
    created_at: identity.createdAt.toISOString(),
    updated_at: identity.updatedAt.toISOString(),
    face_url: `/api/identities/${identity.id}/face`,
    face_thumbnail_url: `/api/identities/${identity.id}/face/thumbnail`,
  };
}

export function mapGalleryFace(face: GalleryFaceEntity): GalleryFaceDto {
  return {
    id: face.id,
    image_kind: face.imageKind,
    content_type: face.contentType,
    byte_size: face.byteSize,
    sha256: face.sha256.toString('hex'),
    event_id: face.eventId,
    hook_id: face.hookId,
    thumbnail_url: `/api/gallery/faces/${face.id}/thumbnail`,
    created_at: face.createdAt.toISOString(),
    replaced_at: face.replacedAt?.toISOString() ?? null,
  };
}

export function mapGalleryChange(change: GalleryChangeEntity): GalleryChangeDto {
  return {
    hook_id: change.hookId,
    hook_type: change.hookType,
    event_id: change.eventId,
    group_name: change.groupName,
    identity_id: change.identityId,
    gallery_identity_id: change.galleryIdentityId,
    outcome: change.outcome,
    reason: change.reason,
    face_id: change.faceId,
    created_at: change.createdAt.toISOString(),
  };
}
