import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SqlParameters } from '../../database/entity-rows-sql';
import type { ImageKind } from '../../events/dto/history-event.dto';
import { HistoryEventImageEntity } from '../../events/entities/history-event-image.entity';
import { HistoryEventEntity } from '../../events/entities/history-event.entity';
import { rebuildHistoryEvent, StoredHistoryEvent } from '../../events/history-event.mapper';
import { encodeEventCursor } from '../cursor';
import { EventListQueryDto } from './dto/event-query.dto';
import { EventDetailDto, EventPageDto, EventRow, mapEventDetail, mapEventItem } from './dto/event.dto';
import { afterCursorSql, eventFilterSql } from './event-filters';

/** The bytes of an image and what to answer with. */
export interface StoredImage {
  contentType: string;
  sha256: Buffer;
  data?: Buffer;
}

@Injectable()
export class EventQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One page in (event_time, id) order, strictly after the cursor. The page's ids come from
   * the index walk alone; the rows to show are read for those ids only.
   */
  async list(query: EventListQueryDto): Promise<EventPageDto> {
    const cursor = query.decodedCursor();
    const direction = query.order === 'newest' ? 'DESC' : 'ASC';
    const params = new SqlParameters();
    const filter = eventFilterSql(query, params);
    const conditions = cursor ? [...filter.conditions, afterCursorSql(cursor, params)] : filter.conditions;
    const rows: EventRow[] = await this.dataSource.query(
      `WITH page AS MATERIALIZED (
         SELECT e.id FROM history_event e ${filter.joinsExtData ? 'JOIN history_event_ext_data x ON x.event_id = e.id' : ''}
          ${where(conditions)}
          ORDER BY e.event_time ${direction}, e.id ${direction}
          LIMIT ${query.limit + 1}
       )
       SELECT e.id, e.received_at, e.identity_id, e.identity_name, e.group_name, e.timestamp_ms::text, e.event_time,
              e.score, e.want_action, x.device_ip, x.ep_id, x.person_type, x.device_type, x.dev_sno,
              coalesce((SELECT json_agg(json_build_object('kind', i.kind, 'content_type', i.content_type,
                                                          'byte_size', i.byte_size, 'sha256', encode(i.sha256, 'hex')))
                          FROM history_event_image i WHERE i.event_id = e.id), '[]') AS images
         FROM page JOIN history_event e ON e.id = page.id JOIN history_event_ext_data x ON x.event_id = e.id
        ORDER BY e.event_time ${direction}, e.id ${direction}`,
      params.values,
    );
    const items = rows.slice(0, query.limit).map(mapEventItem);
    const last = rows.length > query.limit ? items[items.length - 1] : undefined;
    const page: EventPageDto = {
      items,
      next_cursor: last
        ? encodeEventCursor({ order: query.order, eventTimeMs: last.event_time.getTime(), id: last.id })
        : null,
    };
    if (query.count) page.total = await this.count(query);
    return page;
  }

  async detail(id: string): Promise<EventDetailDto> {
    const event = await this.dataSource
      .getRepository(HistoryEventEntity)
      .createQueryBuilder('e')
      .innerJoinAndSelect('e.extData', 'x')
      .leftJoinAndSelect('e.fiqa', 'f')
      .leftJoin('e.images', 'i')
      .addSelect(['i.eventId', 'i.kind', 'i.contentType', 'i.byteSize', 'i.sha256'])
      .where('e.id = :id', { id })
      .getOne();
    if (!event) throw noEvent(id);
    return mapEventDetail(event as StoredHistoryEvent);
  }

  /** The event exactly as the box sent it, images included. */
  async original(id: string): Promise<Record<string, unknown>> {
    const event = await this.dataSource.getRepository(HistoryEventEntity).findOne({
      where: { id },
      relations: { extData: true, fiqa: true, images: true },
    });
    if (!event) throw noEvent(id);
    return rebuildHistoryEvent(event as StoredHistoryEvent);
  }

  /** The image's type and hash, and its bytes unless `withData` is false (enough to answer 304). */
  async image(id: string, kind: ImageKind, withData: boolean): Promise<StoredImage> {
    const image = await this.dataSource.getRepository(HistoryEventImageEntity).findOne({
      select: { contentType: true, sha256: true, byteSize: true, ...(withData ? { data: true } : {}) },
      where: { eventId: id, kind },
    });
    if (!image) {
      const exists = await this.dataSource.getRepository(HistoryEventEntity).existsBy({ id });
      throw exists ? new NotFoundException(`event ${id} has no ${kind}`) : noEvent(id);
    }
    if (image.byteSize === 0 || image.contentType === null) {
      throw new NotFoundException(`event ${id} has no ${kind}: the box sent it empty`);
    }
    return { contentType: image.contentType, sha256: image.sha256, data: image.data };
  }

  private async count(query: EventListQueryDto): Promise<number> {
    const params = new SqlParameters();
    const filter = eventFilterSql(query, params);
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::bigint AS total FROM history_event e
         ${filter.joinsExtData ? 'JOIN history_event_ext_data x ON x.event_id = e.id' : ''} ${where(filter.conditions)}`,
      params.values,
    );
    return Number(total);
  }
}

const where = (conditions: string[]) => (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '');

export const noEvent = (id: string) => new NotFoundException(`no event ${id}`);
