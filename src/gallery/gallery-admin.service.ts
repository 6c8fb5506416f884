import { Injectable, NotFoundException } from '@nestjs/common';
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
  RegistrationListQueryDto,
  RegistrationPageDto,
} from './dto/registration.dto';
import type { GalleryFaceEntity } from './entities/gallery-face.entity';
import { GalleryRepository } from './gallery.repository';

/** Reads of the gallery for the admin API. */
@Injectable()
export class GalleryAdminService {
  constructor(
    private readonly repository: GalleryRepository,
    private readonly events: EventQueryService,
  ) {}

  /**
   * The stranger registrations (want_action 1001 events), newest first, each with what the
   * gallery did with it. Walks the want_action index in time order.
   */
  async listRegistrations(query: RegistrationListQueryDto): Promise<RegistrationPageDto> {
    const cursor = query.cursor === undefined ? null : decodeEventCursor(query.cursor);
    const ids = await this.repository.registrationEventIds(query.limit + 1, cursor, query.outcome);
    const page = ids.slice(0, query.limit);
    const items = await this.events.itemsByIds(page);
    const changes = await this.repository.registrationChanges(page);
    const byEvent = new Map(changes.map((change) => [change.event_id, change]));
    const last = ids.length > query.limit ? items[items.length - 1] : undefined;
    return {
      items: items.map((item) => mapRegistration(item, byEvent.get(item.id))),
      next_cursor: last ? encodeEventCursor({ order: 'newest', eventTimeMs: last.event_time.getTime(), id: last.id }) : null,
    };
  }

  /** How many hooks the gallery handled with each outcome in a time range. */
  async summary(query: GallerySummaryQueryDto): Promise<GallerySummaryDto> {
    return mapGallerySummary(query.from, query.to, await this.repository.outcomeCounts(query.from, query.to));
  }

  async listIdentities(query: IdentityListQueryDto): Promise<IdentityPageDto> {
    const page = splitPage(await this.repository.identitiesPage(query), query.limit, (row) => row.id);
    return { items: page.rows.map(mapIdentity), next_cursor: page.next_cursor };
  }

  async findIdentity(id: string): Promise<IdentityDetailDto> {
    const identity = await this.repository.findIdentity(id);
    if (!identity) throw new NotFoundException(`there is no gallery identity ${id}`);
    const faces = await this.repository.facesOf(id);
    const history = await this.repository.historyOf(id);
    return { ...mapIdentity(identity), faces: faces.map(mapGalleryFace), history: history.map(mapGalleryChange) };
  }

  async currentFace(id: string): Promise<GalleryFaceEntity> {
    const face = await this.repository.currentFace(id);
    if (face) return face;
    const exists = await this.repository.identityExists(id);
    throw new NotFoundException(exists ? `gallery identity ${id} has no face` : `there is no gallery identity ${id}`);
  }

  async listChanges(query: GalleryChangeListQueryDto): Promise<GalleryChangePageDto> {
    const page = splitPage(await this.repository.changesPage(query), query.limit, (row) => row.id);
    return { items: page.rows.map(mapGalleryChange), next_cursor: page.next_cursor };
  }
}
