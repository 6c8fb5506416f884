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
import { decodeEventCursor, encodeEventCursor } from '../admin/cursor';
import { EventQueryService } from '../admin/events/event-query.service';
import {
  GallerySummaryDto,
  GallerySummaryQueryDto,
  mapGallerySummary,
  mapRegistration,
  RegistrationChangeRow,
  RegistrationListQueryDto,
  RegistrationOutcome,
  RegistrationPageDto,
} from './dto/registration.dto';
import { GalleryChangeEntity, GalleryOutcome } from './entities/gallery-change.entity';
import { GalleryFaceEntity } from './entities/gallery-face.entity';
import { GalleryIdentityEntity } from './entities/gallery-identity.entity';

/** Equal to `value`, through the digest index (see long-text.ts); `name` names the parameter. */
const digestEquals = (name: string, value: string) => Raw((column) => textDigestEquals(column, `:${name}`), { [name]: value });

const REGISTRATION_CONDITION: Record<RegistrationOutcome, string> = {
  registered: `EXISTS (SELECT 1 FROM gallery_change c WHERE c.event_id = e.id AND c.hook_type = 'stranger.registration' AND c.outcome = 'registered')`,
  already_registered: `EXISTS (SELECT 1 FROM gallery_change c WHERE c.event_id = e.id AND c.hook_type = 'stranger.registration' AND c.outcome = 'already_registered')`,
  rejected: `EXISTS (SELECT 1 FROM gallery_change c WHERE c.event_id = e.id AND c.hook_type = 'stranger.registration' AND c.outcome = 'rejected')`,
  pending: `NOT EXISTS (SELECT 1 FROM gallery_change c WHERE c.event_id = e.id AND c.hook_type = 'stranger.registration')`,
};

/** Reads of the gallery for the admin API. */
@Injectable()
export class GalleryAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventQueryService,
  ) {}

  /**
   * The stranger registrations (want_action 1001 events), newest first, each with what the
   * gallery did with it. Walks the want_action index in time order.
   */
  async listRegistrations(query: RegistrationListQueryDto): Promise<RegistrationPageDto> {
    const cursor = query.cursor === undefined ? null : decodeEventCursor(query.cursor);
    const params: unknown[] = [query.limit + 1];
    const conditions = [`e.want_action = '1001'`];
    if (cursor) {
      params.push(new Date(cursor.eventTimeMs), cursor.id);
      conditions.push(`(e.event_time, e.id) < ($2::timestamptz, $3::bigint)`);
    }
    if (query.outcome) conditions.push(REGISTRATION_CONDITION[query.outcome]);
    const ids: { id: string }[] = await this.dataSource.query(
      `SELECT e.id FROM history_event e WHERE ${conditions.join(' AND ')} ORDER BY e.event_time DESC, e.id DESC LIMIT $1`,
      params,
    );
    const page = ids.slice(0, query.limit).map((row) => row.id);
    const items = await this.events.itemsByIds(page);
    const changes: RegistrationChangeRow[] =
      page.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT event_id, outcome, reason, gallery_identity_id, created_at FROM gallery_change
              WHERE event_id = ANY($1::bigint[]) AND hook_type = 'stranger.registration'`,
            [page],
          );
    const byEvent = new Map(changes.map((change) => [change.event_id, change]));
    const last = ids.length > query.limit ? items[items.length - 1] : undefined;
    return {
      items: items.map((item) => mapRegistration(item, byEvent.get(item.id))),
      next_cursor: last ? encodeEventCursor({ order: 'newest', eventTimeMs: last.event_time.getTime(), id: last.id }) : null,
    };
  }

  /** How many hooks the gallery handled with each outcome in a time range. */
  async summary(query: GallerySummaryQueryDto): Promise<GallerySummaryDto> {
    const rows: { outcome: GalleryOutcome; n: string }[] = await this.dataSource.query(
      `SELECT outcome, count(*)::text AS n FROM gallery_change WHERE created_at >= $1 AND created_at < $2 GROUP BY outcome`,
      [query.from, query.to],
    );
    return mapGallerySummary(query.from, query.to, rows);
  }

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
    if (query.hook_type) where.hookType = query.hook_type;
    if (query.event_id) where.eventId = query.event_id;
    const rows = await this.dataSource.getRepository(GalleryChangeEntity).find({ where, order: { id: 'DESC' }, take: query.limit + 1 });
    const page = splitPage(rows, query.limit, (row) => row.id);
    return { items: page.rows.map(mapGalleryChange), next_cursor: page.next_cursor };
  }
}
