import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { SUMMARY_DIMENSIONS, SummaryDimension } from '../../stats/entities/event-count-slot.entity';
import { IsNotBelow } from '../../../common/query-params';
import { INSTANT_FORMAT, IsInstant, ToInstant } from '../../instant-params';
import { MAX_TEXT_LENGTH } from '../../../events/dto/history-event.dto';

export const SUMMARY_BUCKETS = ['hour', 'day'] as const;
export type SummaryBucket = (typeof SUMMARY_BUCKETS)[number];
/**
 * The longest range a summary covers: a quarter by hour, three years by day. Its cost grows with
 * the range (15-minute slots x values); 27 years by day held the database for ~1.7 s.
 */
export const MAX_SUMMARY_DAYS: Record<SummaryBucket, number> = { hour: 92, day: 1_096 };

export class EventSummaryQueryDto {
  @ApiProperty({ type: String, description: `Start of the range (inclusive): ${INSTANT_FORMAT}`, example: '2024-03-01T00:00:00+01:00' })
  @IsDefined({ message: '$property is required' })
  @ToInstant()
  @IsInstant()
  from: Date;

  @ApiProperty({ type: String, description: `End of the range (exclusive): ${INSTANT_FORMAT}`, example: '2024-04-01T00:00:00+02:00' })
  @IsDefined({ message: '$property is required' })
  @ToInstant()
  @IsInstant()
  @IsNotBelow('from', true)
  to: Date;

  @ApiPropertyOptional({ description: 'Bucket size, in the time zone `tz`', enum: SUMMARY_BUCKETS, default: 'day' })
  @IsIn(SUMMARY_BUCKETS, { message: `$property must be one of ${SUMMARY_BUCKETS.join(', ')}` })
  bucket: SummaryBucket = 'day';

  @ApiPropertyOptional({ description: 'Count per value of this field in each bucket (besides the total)', enum: SUMMARY_DIMENSIONS })
  @IsOptional()
  @IsIn(SUMMARY_DIMENSIONS, { message: `$property must be one of ${SUMMARY_DIMENSIONS.join(', ')}` })
  group_by?: SummaryDimension;

  @ApiPropertyOptional({
    description: "Only this person's events (the box's identity_id, exactly): a person page's activity over time",
    example: '13435454',
  })
  @IsOptional()
  @IsString({ message: '$property must be given once, as text' })
  @MaxLength(MAX_TEXT_LENGTH, { message: `$property must be at most ${MAX_TEXT_LENGTH} characters` })
  identity_id?: string;

  @ApiPropertyOptional({
    description: 'IANA time zone the hours and days are counted in (daylight-saving changes included)',
    default: 'UTC',
    example: 'Europe/Berlin',
  })
  @IsString({ message: '$property must be given once, as text' })
  @MaxLength(64, { message: '$property must be at most 64 characters' })
  tz: string = 'UTC';
}

export class SummaryBucketDto {
  @ApiProperty({
    description: 'Start of the bucket: local time in `tz`, with its offset',
    example: '2024-03-31T00:00:00+01:00',
  })
  start: string;

  @ApiProperty({ description: 'Events in the bucket', example: 120 })
  total: number;

  @ApiPropertyOptional({
    description: 'With group_by: events per value of the field (values without events are left out)',
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { '1': 100, '4': 20 },
  })
  counts?: Record<string, number>;
}

export class EventSummaryDto {
  @ApiProperty()
  from: Date;

  @ApiProperty()
  to: Date;

  @ApiProperty({ enum: SUMMARY_BUCKETS })
  bucket: SummaryBucket;

  @ApiProperty({ example: 'Europe/Berlin' })
  tz: string;

  @ApiProperty({ enum: SUMMARY_DIMENSIONS, nullable: true, type: String })
  group_by: SummaryDimension | null;

  @ApiProperty({ type: [SummaryBucketDto], description: 'In time order; buckets without events are left out' })
  buckets: SummaryBucketDto[];
}

/** A row of the summary query: one (bucket, value) pair. */
export interface SummaryRow {
  start: Date;
  offset_seconds: number;
  value: string;
  count: string;
}

/** `2024-03-31T00:00:00+01:00`: the instant, written in the zone's local time. */
export function localIso(instant: Date, offsetSeconds: number): string {
  const local = new Date(instant.getTime() + offsetSeconds * 1000).toISOString().slice(0, 19);
  const sign = offsetSeconds < 0 ? '-' : '+';
  const minutes = Math.floor(Math.abs(offsetSeconds) / 60);
  const seconds = Math.abs(offsetSeconds) % 60;
  const offset = `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return `${local}${offset}${seconds ? `:${String(seconds).padStart(2, '0')}` : ''}`;
}

export function mapEventSummary(query: EventSummaryQueryDto, tz: string, rows: SummaryRow[]): EventSummaryDto {
  const buckets = new Map<string, SummaryBucketDto>();
  for (const row of rows) {
    const start = localIso(row.start, row.offset_seconds);
    const bucket = buckets.get(start) ?? { start, total: 0, ...(query.group_by ? { counts: {} } : {}) };
    const count = Number(row.count);
    bucket.total += count;
    if (bucket.counts) bucket.counts[row.value] = (bucket.counts[row.value] ?? 0) + count;
    buckets.set(start, bucket);
  }
  return {
    from: query.from,
    to: query.to,
    bucket: query.bucket,
    tz,
    group_by: query.group_by ?? null,
    buckets: [...buckets.values()],
  };
}
