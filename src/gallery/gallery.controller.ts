import { Controller, Get, Header, Param, Query, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { AdminApi } from '../auth/admin-api-key.guard';
import type { Page } from '../common/id-cursor';
import {
  GalleryChangeDto,
  GalleryChangeListQueryDto,
  IdentityDetailDto,
  IdentityDto,
  IdentityIdParamsDto,
  IdentityListQueryDto,
} from './dto/identity.dto';
import { GalleryAdminService } from './gallery-admin.service';

@Controller('api')
@AdminApi()
export class GalleryController {
  constructor(private readonly gallery: GalleryAdminService) {}

  /** Identities in the gallery, newest first. */
  @Get('identities')
  listIdentities(@Query() query: IdentityListQueryDto): Promise<Page<IdentityDto>> {
    return this.gallery.listIdentities(query);
  }

  /** One identity, with every face it had and what each hook about it did. */
  @Get('identities/:id')
  findIdentity(@Param() params: IdentityIdParamsDto): Promise<IdentityDetailDto> {
    return this.gallery.findIdentity(params.id);
  }

  /** The identity's current face image. */
  @Get('identities/:id/face')
  @Header('Cache-Control', 'private, no-cache')
  async currentFace(@Param() params: IdentityIdParamsDto, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const face = await this.gallery.currentFace(params.id);
    res.setHeader('ETag', `"${face.sha256.toString('hex')}"`);
    return new StreamableFile(face.data, { type: face.contentType, length: face.byteSize });
  }

  /** Everything the gallery did with hooks, newest first; `outcome=rejected` lists the refused registrations and why. */
  @Get('gallery/changes')
  listChanges(@Query() query: GalleryChangeListQueryDto): Promise<Page<GalleryChangeDto>> {
    return this.gallery.listChanges(query);
  }
}
