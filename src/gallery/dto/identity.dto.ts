import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { HookType } from '../../hooks/entities/hook.entity';
import { GALLERY_OUTCOMES, GalleryChangeEntity, GalleryOutcome } from '../entities/gallery-change.entity';
import type { GalleryFaceEntity } from '../entities/gallery-face.entity';
import type { GalleryIdentityEntity } from '../entities/gallery-identity.entity';

class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1, { message: 'limit must be a whole number from 1 to 500' })
  @Max(500, { message: 'limit must be a whole number from 1 to 500' })
  limit: number = 50;

  @IsOptional()
  @IsString({ message: 'cursor must be a next_cursor value from an earlier page' })
  cursor?: string;
}

export class IdentityListQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(256)
  group_name?: string;

  /** The box's identity_id. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  identity_id?: string;
}

export class GalleryChangeListQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(GALLERY_OUTCOMES, { message: `outcome must be one of ${GALLERY_OUTCOMES.join(', ')}` })
  outcome?: GalleryOutcome;
}

export class IdentityIdParamsDto {
  @Matches(/^[1-9]\d{0,17}$/, { message: 'id must be a gallery identity id (a positive whole number)' })
  id: string;
}

export interface IdentityDto {
  id: string;
  group_name: string;
  identity_id: string;
  name: string;
  person_type: number;
  created_at: string;
  updated_at: string;
  /** The current face's bytes (admin API key required). */
  face_url: string;
}

export interface GalleryFaceDto {
  id: string;
  image_kind: string;
  content_type: string;
  byte_size: number;
  sha256: string;
  event_id: string | null;
  hook_id: string;
  created_at: string;
  /** null for the current face. */
  replaced_at: string | null;
}

export interface GalleryChangeDto {
  hook_id: string;
  hook_type: HookType;
  event_id: string | null;
  group_name: string;
  identity_id: string;
  gallery_identity_id: string | null;
  outcome: GalleryOutcome;
  reason: string | null;
  face_id: string | null;
  created_at: string;
}

export interface IdentityDetailDto extends IdentityDto {
  faces: GalleryFaceDto[];
  /** What each hook about this identity did, oldest first. */
  history: GalleryChangeDto[];
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
