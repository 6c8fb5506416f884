import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { matchesEtag } from '../admin/events/event-query.controller';
import { AdminApi } from '../auth/admin-api-key.guard';
import { ErrorResponseDto } from '../common/error-response';
import {
  EventThumbnailParams,
  FaceThumbnailParams,
  IdentityThumbnailParams,
  ThumbnailBatchDto,
  ThumbnailBatchQueryDto,
  ThumbnailQueryDto,
} from './dto/thumbnail.dto';
import { ImageRoute } from '../auth/admin-rate-limits';
import { THUMBNAIL_CONTENT_TYPE, thumbnailEtag } from './thumbnail-maker';
import { Thumbnail, ThumbnailsService } from './thumbnails.service';

const ThumbnailResponses = (notFound: string) => (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
  ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of a copy already held: 304 when it still matches' })(
    target,
    key,
    descriptor,
  );
  ApiOkResponse({
    description: 'The thumbnail, WebP',
    content: { [THUMBNAIL_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
    headers: { ETag: { description: "The source image's sha256, the size and the thumbnail version", schema: { type: 'string' } } },
  })(target, key, descriptor);
  ApiResponse({ status: 304, description: 'Not modified: the If-None-Match ETag matches' })(target, key, descriptor);
  ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A bad id, kind or size, named in errors' })(target, key, descriptor);
  ApiNotFoundResponse({ type: ErrorResponseDto, description: notFound })(target, key, descriptor);
  ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'The stored bytes could not be decoded as an image' })(
    target,
    key,
    descriptor,
  );
};

/** Small WebP copies of the images, for lists and grids (a hundred faces in a few hundred KB). */
@ApiTags('thumbnails')
@AdminApi()
@Controller('api')
export class ThumbnailsController {
  constructor(private readonly thumbnails: ThumbnailsService) {}

  @Get('events/:id/images/:kind/thumbnail')
  @ImageRoute()
  @ApiOperation({ summary: 'A thumbnail of an image of an event', description: 'Made on first request and kept with the image.' })
  @ThumbnailResponses('No event with this id, or the event has no such image')
  async eventImage(
    @Param() params: EventThumbnailParams,
    @Query() query: ThumbnailQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await send(req, res, query.size, (withData) => this.thumbnails.ofEventImage(params.id, params.kind, query.size, withData));
  }

  @Get('thumbnails')
  @ImageRoute()
  @ApiOperation({
    summary: 'Thumbnails of many event images at once (a page of a grid)',
    description:
      'One request instead of one per image: the console shows a page of faces with it. Each is the same WebP as the single route, base64.',
  })
  @ApiOkResponse({ type: ThumbnailBatchDto, description: 'The thumbnails, in request order' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A bad images list or size, named in errors' })
  async batch(@Query() query: ThumbnailBatchQueryDto, @Res({ passthrough: true }) res: Response): Promise<ThumbnailBatchDto> {
    const thumbnails = await this.thumbnails.ofEventImages(query.pairs(), query.size);
    res.setHeader('Cache-Control', 'private, no-store');
    return {
      items: thumbnails.map((thumbnail) => ({
        event_id: thumbnail.eventId,
        kind: thumbnail.kind,
        etag: thumbnailEtag(thumbnail.sourceSha256, query.size),
        content_type: thumbnail.contentType,
        data_base64: thumbnail.data.toString('base64'),
      })),
    };
  }

  @Get('identities/:id/face/thumbnail')
  @ImageRoute()
  @ApiOperation({ summary: "A thumbnail of a gallery identity's current face" })
  @ThumbnailResponses('No gallery identity with this id, or it has no face')
  async identityFace(
    @Param() params: IdentityThumbnailParams,
    @Query() query: ThumbnailQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await send(req, res, query.size, (withData) => this.thumbnails.ofGalleryFace({ identityId: params.id }, query.size, withData));
  }

  @Get('gallery/faces/:faceId/thumbnail')
  @ImageRoute()
  @ApiOperation({ summary: 'A thumbnail of any face a gallery identity had (its face history)' })
  @ThumbnailResponses('No gallery face with this id')
  async face(
    @Param() params: FaceThumbnailParams,
    @Query() query: ThumbnailQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await send(req, res, query.size, (withData) => this.thumbnails.ofGalleryFace({ faceId: params.faceId }, query.size, withData));
  }
}

/** Answers 304 when the client's copy matches (without reading any bytes), else the thumbnail. */
async function send(req: Request, res: Response, size: number, load: (withData: boolean) => Promise<Thumbnail>): Promise<void> {
  const ifNoneMatch = req.headers['if-none-match'];
  let thumbnail = await load(!ifNoneMatch);
  const etag = thumbnailEtag(thumbnail.sourceSha256, size);
  res.setHeader('ETag', etag);
  // Personal data: kept by the signed-in browser only, and revalidated at each use (304), so that a signed-out browser shows none from its cache.
  res.setHeader('Cache-Control', 'private, no-cache');
  if (matchesEtag(ifNoneMatch, etag)) {
    res.status(304).end();
    return;
  }
  if (!thumbnail.data) thumbnail = await load(true);
  res.setHeader('Content-Type', thumbnail.contentType);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.status(200).send(thumbnail.data);
}
