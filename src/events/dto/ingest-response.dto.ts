import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FieldErrorDto } from '../../common/error-response';
import type { IngestResult } from '../history-event-ingest.service';

export class IngestResultDto {
  @ApiProperty({
    description: 'The event id (stored; duplicate and conflict: the stored original) or the quarantine id (quarantined)',
    example: '41',
  })
  id: string;

  @ApiProperty({
    enum: ['stored', 'duplicate', 'conflict', 'quarantined'],
    description:
      'stored: a new event; duplicate: the same event, stored before, nothing written; conflict: an event with the same dedup key but other content was stored before: this copy is kept apart (conflict_id), without hook; quarantined: failed validation, kept aside',
  })
  result: IngestResult['result'];

  @ApiPropertyOptional({ description: 'With conflict: the kept copy (GET /api/conflicts/{id})', example: '7' })
  conflict_id?: string;

  @ApiPropertyOptional({ type: [String], description: 'With conflict: the fields in which the copy differs', example: ['want_action'] })
  differences?: string[];

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Why it was quarantined' })
  errors?: FieldErrorDto[];
}

export class IngestDataDto {
  @ApiProperty({ type: [IngestResultDto], description: 'One entry per uploaded event, in request order' })
  events: IngestResultDto[];
}

/** The answer to an upload. The box only reads the HTTP status; tools can read the rest. */
export class IngestResponseDto {
  @ApiProperty({ enum: [0] })
  status: 0;

  @ApiProperty({ enum: ['SUCCESS'] })
  message: 'SUCCESS';

  @ApiProperty({ type: IngestDataDto })
  data: { events: IngestResult[] };
}

export function mapIngestResponse(events: IngestResult[]): IngestResponseDto {
  return { status: 0, message: 'SUCCESS', data: { events } };
}
