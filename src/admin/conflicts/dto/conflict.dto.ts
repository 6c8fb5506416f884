import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { PageQueryDto } from '../../../common/page-query.dto';
import { IsDatabaseId } from '../../../common/query-params';
import type { EventConflictEntity } from '../../../events/entities/event-conflict.entity';
import type { UploadFormat } from '../../../events/entities/quarantined-event.entity';
import { HOOK_TYPES, HookType } from '../../../events/entities/hook.entity';

export class ConflictListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the conflicting copies of this stored event', example: '41' })
  @IsOptional()
  @IsDatabaseId()
  // Validators run from the bottom up: a repeated parameter is told so first.
  @IsString({ message: '$property must be given once, as text' })
  event_id?: string;
}

export class ConflictIdParams {
  @ApiProperty({ description: 'The conflict id (the conflict_id the upload answered with)', example: '7' })
  @IsDatabaseId()
  id: string;
}

export class ConflictDto {
  @ApiProperty({ example: '7' })
  id: string;

  @ApiProperty({ description: 'The stored event it is a copy of (GET /api/events/{id}; /original for the stored content)', example: '41' })
  event_id: string;

  @ApiProperty({ description: 'When the copy arrived' })
  received_at: Date;

  @ApiProperty({ type: String, nullable: true, example: '192.168.1.101' })
  received_from: string | null;

  @ApiProperty({ enum: ['json', 'form'], description: 'How it was uploaded (a form upload is kept as its JSON equivalent)' })
  format: UploadFormat;

  @ApiProperty({
    type: [String],
    description: 'The top-level and ext_data fields in which the copy differs from the stored event',
    example: ['want_action', 'ext_data.spot_pic'],
  })
  fields: string[];

  @ApiProperty({
    enum: HOOK_TYPES,
    nullable: true,
    description: "The hook the copy's want_action asks for, which was not created (a conflict never causes a hook)",
  })
  withheld_hook: HookType | null;
}

export class FieldDifferenceDto {
  @ApiProperty({ example: 'want_action' })
  field: string;

  @ApiPropertyOptional({
    description: 'The stored value; absent when the stored event has no such field. Images as {sha256, byte_size, data_url_prefix}.',
  })
  stored?: unknown;

  @ApiPropertyOptional({
    description: "The copy's value; absent when the copy has no such field. Images as {sha256, byte_size, data_url_prefix}.",
  })
  copy?: unknown;
}

export class ConflictDetailDto extends ConflictDto {
  @ApiProperty({ type: [FieldDifferenceDto], description: 'Each differing field with both values' })
  differences: FieldDifferenceDto[];

  @ApiProperty({ description: 'The copy as it was uploaded, base64 images included' })
  event: unknown;
}

export class ConflictPageDto {
  @ApiProperty({ type: [ConflictDto], description: 'Newest first' })
  items: ConflictDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  next_cursor: string | null;
}

export function mapConflict(row: EventConflictEntity): ConflictDto {
  return {
    id: row.id,
    event_id: row.eventId,
    received_at: row.receivedAt,
    received_from: row.receivedFrom,
    format: row.format,
    fields: row.differences.map((difference) => difference.field),
    withheld_hook: row.withheldHook,
  };
}

export function mapConflictDetail(row: EventConflictEntity): ConflictDetailDto {
  return { ...mapConflict(row), differences: row.differences, event: JSON.parse(row.payload) };
}
