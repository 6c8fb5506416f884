import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { decodeIdCursor, IsIdCursor } from './id-cursor';
import { ToNumber } from './query-params';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

const LIMIT_MESSAGE = `$property must be a whole number from 1 to ${MAX_PAGE_SIZE}`;

/** `limit` and `cursor` of a list paged by id, newest first; each list's query adds its filters. */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    description: `Items per page, 1 to ${MAX_PAGE_SIZE}`,
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
  })
  @ToNumber()
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(MAX_PAGE_SIZE, { message: LIMIT_MESSAGE })
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ description: "The previous page's next_cursor, to read the next page (same filters)" })
  @IsOptional()
  @IsIdCursor()
  // Validators run from the bottom up: a repeated parameter is told so first.
  @IsString({ message: '$property must be given once, as text' })
  cursor?: string;

  /** The id the page starts below; null for the first page. */
  decodedCursor(): string | null {
    return this.cursor === undefined ? null : decodeIdCursor(this.cursor);
  }
}
