import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FieldErrorDto } from '../../common/error-response';
import type { IngestResult } from '../history-event-ingest.service';

export class IngestResultDto {
  @ApiProperty({
    description: 'The event id (stored, duplicate: the original) or the quarantine id (quarantined)',
    example: '41',
  })
  id: string;

  @ApiProperty({ enum: ['stored', 'duplicate', 'quarantined'] })
  result: IngestResult['result'];

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
