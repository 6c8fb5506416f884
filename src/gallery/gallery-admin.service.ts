import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, IsNull, LessThan, Raw } from 'typeorm';
import { textDigestEquals } from '../database/long-text';
import { splitPage } from '../common/id-cursor';
import {
  GalleryChangeListQueryDto,
  GalleryChangePageDto,
  IdentityDetailDto,
  IdentityListQueryDto,
  IdentityPageDto,
  mapGalleryChange,
  mapGalleryFace,
  mapIdentity,
} from './dto/identity.dto';
import { GalleryChangeEntity } from './entities/gallery-change.entity';
import { GalleryFaceEntity } from './entities/gallery-face.entity';
import { GalleryIdentityEntity } from './entities/gallery-identity.entity';

/** Equal to `value`, through the digest index (see long-text.ts); `name` names the parameter. */
const digestEquals = (name: string, value: string) => Raw((column) => textDigestEquals(column, `:${name}`), { [name]: value });

/** Reads of the gallery for the admin API. */
@Injectable()
export class GalleryAdminService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async listIdentities(query: IdentityListQueryDto): Promise<IdentityPageDto> {
    const where: FindOptionsWhere<GalleryIdentityEntity> = {};
    const before = query.decodedCursor();
    if (before) where.id = LessThan(before);
    if (query.group_name !== undefined) where.groupName = digestEquals('group_name', query.group_name);
    if (query.identity_id !== undefined) where.identityId = digestEquals('identity_id', query.identity_id);
    const rows = await this.dataSource.getRepository(GalleryIdentityEntity).find({ where, order: { id: 'DESC' }, take: query.limit + 1 });
    const page = splitPage(rows, query.limit, (row) => row.id);
    return { items: page.rows.map(mapIdentity), next_cursor: page.next_cursor };
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

  async listChanges(query: GalleryChangeListQueryDto): Promise<GalleryChangePageDto> {
    const where: FindOptionsWhere<GalleryChangeEntity> = {};
    const before = query.decodedCursor();
    if (before) where.id = LessThan(before);
    if (query.outcome) where.outcome = query.outcome;
    const rows = await this.dataSource.getRepository(GalleryChangeEntity).find({ where, order: { id: 'DESC' }, take: query.limit + 1 });
    const page = splitPage(rows, query.limit, (row) => row.id);
    return { items: page.rows.map(mapGalleryChange), next_cursor: page.next_cursor };
  }
}
