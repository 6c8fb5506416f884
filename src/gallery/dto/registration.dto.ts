import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Max, Min, ValidateBy } from 'class-validator';
import { decodeEventCursor } from '../../admin/cursor';
import { EventItemDto } from '../../admin/events/dto/event.dto';
import { INSTANT_FORMAT, IsInstant, ToInstant } from '../../admin/instant-params';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/page-query.dto';
import { IsNotBelow, ToNumber } from '../../common/query-params';
import { GALLERY_OUTCOMES, GalleryOutcome } from '../entities/gallery-change.entity';

export const REGISTRATION_OUTCOMES = ['registered', 'already_registered', 'rejected', 'pending'] as const;
export type RegistrationOutcome = (typeof REGISTRATION_OUTCOMES)[number];

const LIMIT_MESSAGE = `$property must be a whole number from 1 to ${MAX_PAGE_SIZE}`;

export class RegistrationListQueryDto {
  @ApiPropertyOptional({
    enum: REGISTRATION_OUTCOMES,
    description:
      'registered: a new identity; already_registered: it was one; rejected: refused (see reason); pending: the gallery has not handled it yet',
  })
  @IsOptional()
  @IsIn(REGISTRATION_OUTCOMES, { message: `outcome must be one of ${REGISTRATION_OUTCOMES.join(', ')}` })
  outcome?: RegistrationOutcome;

  @ApiPropertyOptional({ type: 'integer', description: `Items per page, 1 to ${MAX_PAGE_SIZE}`, default: DEFAULT_PAGE_SIZE })
  @ToNumber()
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(MAX_PAGE_SIZE, { message: LIMIT_MESSAGE })
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ description: "The previous page's next_cursor, to read the next page (same outcome)" })
  @IsOptional()
  @ValidateBy({
    name: 'isRegistrationCursor',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && decodeEventCursor(value)?.order === 'newest',
      defaultMessage: () => 'cursor must be the next_cursor of an earlier page',
    },
  })
  @IsString({ message: '$property must be given once, as text' })
  cursor?: string;
}

export class RegistrationDto {
  @ApiProperty({ type: EventItemDto, description: 'The want_action 1001 event' })
  event: EventItemDto;

  @ApiProperty({ enum: REGISTRATION_OUTCOMES })
  outcome: RegistrationOutcome;

  @ApiProperty({ type: String, nullable: true, description: 'Why it was refused, in words (e.g. the face quality failed)' })
  reason: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The gallery identity it registered or found' })
  gallery_identity_id: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the gallery handled it; null while pending' })
  handled_at: string | null;
}

export class RegistrationPageDto {
  @ApiProperty({ type: [RegistrationDto], description: 'Newest event first' })
  items: RegistrationDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  next_cursor: string | null;
}

export class GallerySummaryQueryDto {
  @ApiProperty({ type: String, description: `Changes made at or after: ${INSTANT_FORMAT}` })
  @IsDefined({ message: '$property is required' })
  @ToInstant()
  @IsInstant()
  from: Date;

  @ApiProperty({ type: String, description: `Changes made before: ${INSTANT_FORMAT}` })
  @IsDefined({ message: '$property is required' })
  @ToInstant()
  @IsInstant()
  @IsNotBelow('from', true)
  to: Date;
}

export class GallerySummaryDto {
  @ApiProperty()
  from: Date;

  @ApiProperty()
  to: Date;

  @ApiProperty({
    description: 'How many hooks the gallery handled with each outcome in [from, to) (outcomes without any are 0)',
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { registered: 12, already_registered: 3, rejected: 2, identity_created: 1, face_replaced: 4 },
  })
  outcomes: Record<GalleryOutcome, number>;
}

/** A change row of a registration (the stranger.registration hook's outcome). */
export interface RegistrationChangeRow {
  event_id: string;
  outcome: GalleryOutcome;
  reason: string | null;
  gallery_identity_id: string | null;
  created_at: Date;
}

export function mapRegistration(event: EventItemDto, change: RegistrationChangeRow | undefined): RegistrationDto {
  return {
    event,
    outcome: change ? (change.outcome as RegistrationOutcome) : 'pending',
    reason: change?.reason ?? null,
    gallery_identity_id: change?.gallery_identity_id ?? null,
    handled_at: change?.created_at.toISOString() ?? null,
  };
}

export function mapGallerySummary(from: Date, to: Date, rows: { outcome: GalleryOutcome; n: string }[]): GallerySummaryDto {
  const outcomes = Object.fromEntries(GALLERY_OUTCOMES.map((outcome) => [outcome, 0])) as Record<GalleryOutcome, number>;
  for (const row of rows) outcomes[row.outcome] = Number(row.n);
  return { from, to, outcomes };
}
