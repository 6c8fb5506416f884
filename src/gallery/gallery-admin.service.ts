import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, IsNull, LessThan } from 'typeorm';
import { decodeIdCursor, encodeIdCursor, Page } from '../common/id-cursor';
import {
  GalleryChangeDto,
  GalleryChangeListQueryDto,
  IdentityDetailDto,
  IdentityDto,
  IdentityListQueryDto,
  mapGalleryChange,
  mapGalleryFace,
  mapIdentity,
} from './dto/identity.dto';
import { GalleryChangeEntity } from './entities/gallery-change.entity';
import { GalleryFaceEntity } from './entities/gallery-face.entity';
import { GalleryIdentityEntity } from './entities/gallery-identity.entity';

/** Reads of the gallery for the admin API. */
@Injectable()
export class GalleryAdminService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async listIdentities(query: IdentityListQueryDto): Promise<Page<IdentityDto>> {
    const where: FindOptionsWhere<GalleryIdentityEntity> = {};
    const before = decodeIdCursor(query.cursor);
    if (before) where.id = LessThan(before);
    if (query.group_name !== undefined) where.groupName = query.group_name;
    if (query.identity_id !== undefined) where.identityId = query.identity_id;
    const rows = await this.dataSource.getRepository(GalleryIdentityEntity).find({ where, order: { id: 'DESC' }, take: query.limit });
    return { items: rows.map(mapIdentity), next_cursor: nextCursor(rows, query.limit) };
  }

  async findIdentity(id: string): Promise<IdentityDetailDto> {
    const identity = await this.dataSource.getRepository(GalleryIdentityEntity).findOneBy({ id });
    if (!identity) throw new NotFoundException(`there is no gallery identity ${id}`);
    const faces = await this.dataSource.getRepository(GalleryFaceEntity).find({
      select: { id: true, imageKind: true, contentType: true, byteSize: true, sha256: true, eventId: true, hookId: true, createdAt: true, replacedAt: true },
      where: { galleryIdentityId: id },
      order: { id: 'ASC' },
    });
    const history = await this.dataSource.getRepository(GalleryChangeEntity).find({ where: { galleryIdentityId: id }, order: { id: 'ASC' } });
    return { ...mapIdentity(identity), faces: faces.map(mapGalleryFace), history: history.map(mapGalleryChange) };
  }

  async currentFace(id: string): Promise<GalleryFaceEntity> {
    const face = await this.dataSource.getRepository(GalleryFaceEntity).findOneBy({ galleryIdentityId: id, replacedAt: IsNull() });
    if (face) return face;
    const exists = await this.dataSource.getRepository(GalleryIdentityEntity).existsBy({ id });
    throw new NotFoundException(exists ? `gallery identity ${id} has no face` : `there is no gallery identity ${id}`);
  }

  async listChanges(query: GalleryChangeListQueryDto): Promise<Page<GalleryChangeDto>> {
    const where: FindOptionsWhere<GalleryChangeEntity> = {};
    const before = decodeIdCursor(query.cursor);
    if (before) where.id = LessThan(before);
    if (query.outcome) where.outcome = query.outcome;
    const rows = await this.dataSource.getRepository(GalleryChangeEntity).find({ where, order: { id: 'DESC' }, take: query.limit });
    return { items: rows.map(mapGalleryChange), next_cursor: nextCursor(rows, query.limit) };
  }
}

function nextCursor(rows: { id: string }[], limit: number): string | null {
  return rows.length === limit ? encodeIdCursor(rows[rows.length - 1].id) : null;
}
