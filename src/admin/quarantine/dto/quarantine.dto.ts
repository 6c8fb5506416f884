import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { FieldErrorDto } from '../../../common/error-response';
import { PageQueryDto } from '../../../common/page-query.dto';
import { IsDatabaseId, QueryText, ToBoolean } from '../../../common/query-params';
import { MAX_TEXT_LENGTH } from '../../../events/dto/history-event.dto';
import type { QuarantinedEventEntity, UploadFormat } from '../../../events/entities/quarantined-event.entity';

export class QuarantineListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the rejects of this box (ext_data.dev_sno, when it could be read)' })
  @IsOptional()
  @QueryText(MAX_TEXT_LENGTH)
  dev_sno?: string;

  @ApiPropertyOptional({ description: 'true: only those replayed into events; false: only those still waiting', type: Boolean })
  @IsOptional()
  @ToBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  replayed?: boolean;
}

export class QuarantineIdParams {
  @ApiProperty({ description: 'The quarantine id (the id the upload answered with)', example: '3' })
  @IsDatabaseId()
  id: string;
}

export class QuarantinedEventDto {
  @ApiProperty({ example: '3' })
  id: string;

  @ApiProperty()
  received_at: Date;

  @ApiProperty({ type: String, nullable: true, example: '192.168.1.101' })
  received_from: string | null;

  @ApiProperty({ enum: ['json', 'form'], description: 'How it was uploaded (a form upload is kept as its JSON equivalent)' })
  format: UploadFormat;

  @ApiProperty({ type: String, nullable: true, description: 'ext_data.dev_sno, when it could be read' })
  dev_sno: string | null;

  @ApiProperty({ type: [FieldErrorDto], description: 'Why it was quarantined' })
  errors: FieldErrorDto[];

  @ApiProperty({ type: String, nullable: true, description: 'The event it became when replayed' })
  replayed_event_id: string | null;

  @ApiProperty({ type: Date, nullable: true })
  replayed_at: Date | null;
}

export class QuarantinedEventDetailDto extends QuarantinedEventDto {
  @ApiProperty({ description: 'The event as it was uploaded (any JSON value)' })
  event: unknown;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'byte',
    description: "The event's bytes as received (base64) when they were not valid UTF-8: `event` then shows U+FFFD for them",
  })
  raw_bytes_base64: string | null;
}

export class QuarantinePageDto {
  @ApiProperty({ type: [QuarantinedEventDto], description: 'Newest first' })
  items: QuarantinedEventDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  next_cursor: string | null;
}

export const REPLAY_RESULTS = ['stored', 'duplicate', 'conflict', 'already_replayed'] as const;

export class ReplayResultDto {
  @ApiProperty({ description: 'The id of the event it became', example: '42' })
  event_id: string;

  @ApiProperty({
    enum: REPLAY_RESULTS,
    description:
      'stored: a new event; duplicate: the same event was stored before; conflict: an event with its dedup key but other content was stored before, and this one is kept as a conflict of it (conflict_id); already_replayed: an earlier replay stored it',
  })
  result: (typeof REPLAY_RESULTS)[number];

  @ApiPropertyOptional({ description: 'With result conflict: the conflict it was kept as (GET /api/conflicts/{id})', example: '7' })
  conflict_id?: string;

  @ApiProperty()
  replayed_at: Date;
}

export function mapQuarantinedEvent(row: QuarantinedEventEntity): QuarantinedEventDto {
  return {
    id: row.id,
    received_at: row.receivedAt,
    received_from: row.receivedFrom,
    format: row.format,
    dev_sno: row.devSno,
    errors: row.errors,
    replayed_event_id: row.replayedEventId,
    replayed_at: row.replayedAt,
  };
}

export function mapQuarantinedEventDetail(row: QuarantinedEventEntity): QuarantinedEventDetailDto {
  return { ...mapQuarantinedEvent(row), event: JSON.parse(row.payload), raw_bytes_base64: row.rawBytes?.toString('base64') ?? null };
}

export function replayedAlready(row: QuarantinedEventEntity): ReplayResultDto {
  return { event_id: row.replayedEventId!, result: 'already_replayed', replayed_at: row.replayedAt! };
}
