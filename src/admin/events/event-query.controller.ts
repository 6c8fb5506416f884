import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AdminApi } from '../../auth/admin-api-key.guard';
import { ImageRoute } from '../../auth/admin-rate-limits';
import { ErrorResponseDto } from '../../common/error-response';
import { HistoryEventDto } from '../../events/dto/history-event.dto';
import { IMAGE_CONTENT_TYPES, servedContentType } from '../../events/encoded-image';
import { EventIdParams, EventImageParams, EventListQueryDto } from './dto/event-query.dto';
import { EventSummaryDto, EventSummaryQueryDto } from './dto/event-summary.dto';
import { EventDetailDto, EventPageDto } from './dto/event.dto';
import { EventQueryService } from './event-query.service';
import { EventSummaryService } from './event-summary.service';

const BadRequest = () =>
  ApiBadRequestResponse({ type: ErrorResponseDto, description: 'An unknown parameter or a bad value, named in errors' });
const NotFound = (what: string) => ApiNotFoundResponse({ type: ErrorResponseDto, description: what });

/** True when If-None-Match lists the ETag (weak or strong), or is `*`. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

@ApiTags('events')
@AdminApi()
@Controller('api/events')
export class EventQueryController {
  constructor(
    private readonly events: EventQueryService,
    private readonly summaries: EventSummaryService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Search the event history',
    description:
      'Filters combine with AND. Pages follow the event time (ties by id) and go on with `cursor`: every page costs the same, and events arriving meanwhile neither shift nor repeat items. Images are links, never base64.',
  })
  @ApiOkResponse({ type: EventPageDto, description: 'One page of events' })
  @BadRequest()
  list(@Query() query: EventListQueryDto): Promise<EventPageDto> {
    return this.events.list(query);
  }

  @Get('summary')
  @ApiOperation({
    summary: 'Count events per hour or day',
    description: 'Over [from, to), in buckets of the time zone `tz` (a day can be 23 or 25 hours long), optionally per value of one field.',
  })
  @ApiOkResponse({ type: EventSummaryDto, description: 'The buckets that hold events, in time order' })
  @BadRequest()
  summary(@Query() query: EventSummaryQueryDto): Promise<EventSummaryDto> {
    return this.summaries.summarize(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One event: every stored field', description: 'FIQA objects and unknown keys included; images as links.' })
  @ApiOkResponse({ type: EventDetailDto, description: 'The event' })
  @BadRequest()
  @NotFound('No event with this id')
  detail(@Param() params: EventIdParams): Promise<EventDetailDto> {
    return this.events.detail(params.id);
  }

  @Get(':id/original')
  @ApiOperation({
    summary: 'The event exactly as the box sent it',
    description:
      'Rebuilt from the stored rows, images included as the base64 text the box sent (a form upload comes back as its JSON equivalent).',
  })
  @ApiOkResponse({ type: HistoryEventDto, description: 'The uploaded event, unknown keys included' })
  @BadRequest()
  @NotFound('No event with this id')
  original(@Param() params: EventIdParams): Promise<Record<string, unknown>> {
    return this.events.original(params.id);
  }

  @Get(':id/images/:kind')
  @ApiOperation({
    summary: 'The bytes of an image of an event',
    description: 'With its content type and an ETag (the sha256 of the bytes).',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of a copy already held: 304 when it still matches' })
  @ApiOkResponse({
    description: 'The image',
    content: Object.fromEntries(IMAGE_CONTENT_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
    headers: { ETag: { description: 'The sha256 of the bytes, hex, quoted', schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 304, description: 'Not modified: the If-None-Match ETag matches' })
  @BadRequest()
  @NotFound('No event with this id, or the event has no such image (or it was sent empty)')
  @ImageRoute()
  async image(@Param() params: EventImageParams, @Req() req: Request, @Res() res: Response): Promise<void> {
    const ifNoneMatch = req.headers['if-none-match'];
    const image = await this.events.image(params.id, params.kind, !ifNoneMatch);
    const etag = `"${image.sha256.toString('hex')}"`;
    res.setHeader('ETag', etag);
    // Personal data: kept by the admin's own client only, and revalidated at each use (304, cheap: the bytes never change), so that a signed-out console shows none from its cache.
    res.setHeader('Cache-Control', 'private, no-cache');
    if (matchesEtag(ifNoneMatch, etag)) {
      res.status(304).end();
      return;
    }
    const { data } = image.data ? image : await this.events.image(params.id, params.kind, true);
    res.setHeader('Content-Type', servedContentType(data!));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.status(200).send(data);
  }
}
