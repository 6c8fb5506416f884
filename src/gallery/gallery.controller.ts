import { Controller, Get, Header, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminApi } from '../auth/admin-api-key.guard';
import { ImageRoute } from '../auth/admin-rate-limits';
import { ErrorResponseDto } from '../common/error-response';
import { IMAGE_CONTENT_TYPES, servedContentType } from '../events/encoded-image';
import {
  GalleryChangeListQueryDto,
  GalleryChangePageDto,
  IdentityDetailDto,
  IdentityIdParamsDto,
  IdentityListQueryDto,
  IdentityPageDto,
} from './dto/identity.dto';
import { GallerySummaryDto, GallerySummaryQueryDto, RegistrationListQueryDto, RegistrationPageDto } from './dto/registration.dto';
import { GalleryAdminService } from './gallery-admin.service';

const BadRequest = () =>
  ApiBadRequestResponse({ type: ErrorResponseDto, description: 'An unknown parameter or a bad value, named in errors' });

@ApiTags('gallery')
@AdminApi()
@Controller('api')
export class GalleryController {
  constructor(private readonly gallery: GalleryAdminService) {}

  @Get('identities')
  @ApiOperation({
    summary: 'Identities in the gallery',
    description: 'The people the 1001 and 1002 hooks registered, newest first.',
  })
  @ApiOkResponse({ type: IdentityPageDto, description: 'One page of identities' })
  @BadRequest()
  listIdentities(@Query() query: IdentityListQueryDto): Promise<IdentityPageDto> {
    return this.gallery.listIdentities(query);
  }

  @Get('identities/:id')
  @ApiOperation({ summary: 'One identity, with every face it had and what each hook about it did' })
  @ApiOkResponse({ type: IdentityDetailDto, description: 'The identity' })
  @BadRequest()
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No gallery identity with this id' })
  findIdentity(@Param() params: IdentityIdParamsDto): Promise<IdentityDetailDto> {
    return this.gallery.findIdentity(params.id);
  }

  @Get('identities/:id/face')
  @ImageRoute()
  @Header('Cache-Control', 'private, no-cache')
  @ApiOperation({
    summary: "The bytes of the identity's current face",
    description: 'With its content type and an ETag (the sha256 of the bytes).',
  })
  @ApiOkResponse({
    description: 'The image',
    content: Object.fromEntries(IMAGE_CONTENT_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
    headers: { ETag: { description: 'The sha256 of the bytes, hex, quoted', schema: { type: 'string' } } },
  })
  @BadRequest()
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No gallery identity with this id, or it has no face' })
  async currentFace(@Param() params: IdentityIdParamsDto, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const face = await this.gallery.currentFace(params.id);
    res.setHeader('ETag', `"${face.sha256.toString('hex')}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(face.data, { type: servedContentType(face.data), length: face.byteSize });
  }

  @Get('gallery/registrations')
  @ApiOperation({
    summary: 'Stranger registrations (want_action 1001) and their outcome',
    description: 'Newest event first: registered, already registered, rejected (with the reason, e.g. poor face quality) or still pending.',
  })
  @ApiOkResponse({ type: RegistrationPageDto, description: 'One page of registrations' })
  @BadRequest()
  listRegistrations(@Query() query: RegistrationListQueryDto): Promise<RegistrationPageDto> {
    return this.gallery.listRegistrations(query);
  }

  @Get('gallery/summary')
  @ApiOperation({
    summary: 'How many hooks the gallery handled, per outcome, in a time range',
    description: 'Registered vs refused strangers, faces replaced.',
  })
  @ApiOkResponse({ type: GallerySummaryDto, description: 'Counts per outcome' })
  @BadRequest()
  summary(@Query() query: GallerySummaryQueryDto): Promise<GallerySummaryDto> {
    return this.gallery.summary(query);
  }

  @Get('gallery/changes')
  @ApiOperation({
    summary: 'What the gallery did with each hook',
    description: 'Newest first; `outcome=rejected` lists the refused registrations and why.',
  })
  @ApiOkResponse({ type: GalleryChangePageDto, description: 'One page of changes' })
  @BadRequest()
  listChanges(@Query() query: GalleryChangeListQueryDto): Promise<GalleryChangePageDto> {
    return this.gallery.listChanges(query);
  }
}
