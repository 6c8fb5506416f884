import type { IngestResult } from '../history-event-ingest.service';

/** The answer to an upload. The box only reads the HTTP status; tools can read the rest. */
export interface IngestResponseDto {
  status: 0;
  message: 'SUCCESS';
  data: { events: IngestResult[] };
}

export function mapIngestResponse(events: IngestResult[]): IngestResponseDto {
  return { status: 0, message: 'SUCCESS', data: { events } };
}
