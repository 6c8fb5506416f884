import { Injectable, NotFoundException } from '@nestjs/common';
import type { ImageKind } from '../../events/dto/history-event.dto';
import { rebuildHistoryEvent } from '../../events/history-event.mapper';
import { encodeEventCursor } from '../cursor';
import { EventListQueryDto } from './dto/event-query.dto';
import { EventDetailDto, EventItemDto, EventPageDto, mapEventDetail, mapEventItem } from './dto/event.dto';
import { EventQueryRepository } from './event-query.repository';

/** The bytes of an image and what to answer with. */
export interface StoredImage {
  contentType: string;
  sha256: Buffer;
  data?: Buffer;
}

@Injectable()
export class EventQueryService {
  constructor(private readonly repository: EventQueryRepository) {}

  /** One page in (event_time, id) order, strictly after the cursor. */
  async list(query: EventListQueryDto): Promise<EventPageDto> {
    const { rows, total } = await this.repository.page(query);
    const items = rows.slice(0, query.limit).map(mapEventItem);
    const last = rows.length > query.limit ? items[items.length - 1] : undefined;
    const answer: EventPageDto = {
      items,
      next_cursor: last ? encodeEventCursor({ order: query.order, eventTimeMs: last.event_time.getTime(), id: last.id }) : null,
    };
    if (total !== undefined) answer.total = total;
    return answer;
  }

  /** The list items of these events (the live feed's), newest first. */
  async itemsByIds(ids: string[]): Promise<EventItemDto[]> {
    return (await this.repository.rowsByIds(ids)).map(mapEventItem);
  }

  async detail(id: string): Promise<EventDetailDto> {
    const event = await this.repository.findDetail(id);
    if (!event) throw noEvent(id);
    return mapEventDetail(event);
  }

  /** The event exactly as the box sent it, images included. */
  async original(id: string): Promise<Record<string, unknown>> {
    const event = await this.repository.findWhole(id);
    if (!event) throw noEvent(id);
    return rebuildHistoryEvent(event);
  }

  /** The image's type and hash, and its bytes unless `withData` is false (enough to answer 304). */
  async image(id: string, kind: ImageKind, withData: boolean): Promise<StoredImage> {
    const image = await this.repository.findImage(id, kind, withData);
    if (!image) {
      throw (await this.repository.exists(id)) ? new NotFoundException(`event ${id} has no ${kind}`) : noEvent(id);
    }
    if (image.byteSize === 0 || image.contentType === null) {
      throw new NotFoundException(`event ${id} has no ${kind}: the box sent it empty`);
    }
    return { contentType: image.contentType, sha256: image.sha256, data: image.data };
  }
}

export const noEvent = (id: string) => new NotFoundException(`no event ${id}`);
