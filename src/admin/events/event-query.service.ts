import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SqlParameters } from '../../database/entity-rows-sql';
import type { ImageKind } from '../../events/dto/history-event.dto';
import { HistoryEventImageEntity } from '../../events/entities/history-event-image.entity';
import { HistoryEventEntity } from '../../events/entities/history-event.entity';
import { rebuildHistoryEvent, StoredHistoryEvent } from '../../events/history-event.mapper';
import { AdminQueries } from '../admin-queries';
import { encodeEventCursor, EventOrder } from '../cursor';
import { EventListQueryDto } from './dto/event-query.dto';
import { EventDetailDto, EventItemDto, EventPageDto, EventRow, mapEventDetail, mapEventItem } from './dto/event.dto';
import { afterCursorSql, EventFilterSql, eventFilterSql } from './event-filters';

/** The bytes of an image and what to answer with. */
export interface StoredImage {
  contentType: string;
  sha256: Buffer;
  data?: Buffer;
}

@Injectable()
export class EventQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: AdminQueries,
  ) {}

  /**
   * One page in (event_time, id) order, strictly after the cursor. The page's ids come from an
   * index walk; the rows to show are read for those ids only.
   */
  list(query: EventListQueryDto): Promise<EventPageDto> {
    return this.queries.read(async (manager) => {
      const cursor = query.decodedCursor();
      const params = new SqlParameters();
      const filter = eventFilterSql(query, params);
      const conditions = cursor ? [...filter.conditions, afterCursorSql(cursor, params)] : filter.conditions;
      const page = { from: fromSql(filter), conditions, order: query.order, size: query.limit + 1 };
      const ids: { id: string }[] = filter.nameCondition
        ? await this.pageByName(manager, page, filter.nameCondition, params)
        : await manager.query(pageSql(page), params.values);
      const rows = ids.length === 0 ? [] : await this.rowsOf(manager, ids.map((row) => row.id), query.order);
      const items = rows.slice(0, query.limit).map(mapEventItem);
      const last = rows.length > query.limit ? items[items.length - 1] : undefined;
      const answer: EventPageDto = {
        items,
        next_cursor: last
          ? encodeEventCursor({ order: query.order, eventTimeMs: last.event_time.getTime(), id: last.id })
          : null,
      };
      if (query.count) answer.total = await this.count(manager, query);
      return answer;
    });
  }

  /**
   * A page filtered by a name substring. Where the name is common, walking the time order and
   * testing each row finds a page within a few thousand rows, at the same cost however large the
   * table; the walk is capped at NAME_WALK_ROWS. Where that does not fill the page, the name is
   * rare, and the trigram index finds its few rows to sort. The planner, left to choose, picks
   * the trigram index for common names too once the table is large (and sorts thousands of rows).
   */
  private async pageByName(
    manager: EntityManager,
    page: PageSql,
    nameCondition: string,
    params: SqlParameters,
  ): Promise<{ id: string }[]> {
    const walked: { id: string }[] = await manager.query(
      `SELECT id FROM (${pageSql({ ...page, size: NAME_WALK_ROWS, columns: 'e.id, e.event_time, e.identity_name' })}) AS walked
        WHERE ${nameCondition.replace('e.identity_name', 'walked.identity_name')}
        ORDER BY walked.event_time ${direction(page.order)}, walked.id ${direction(page.order)} LIMIT ${page.size}`,
      params.values,
    );
    if (walked.length === page.size) return walked;
    // Rare: the rows come from the trigram index (with the other filters' indexes), then are sorted.
    await manager.query('SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off');
    const found: { id: string }[] = await manager.query(
      pageSql({ ...page, conditions: [...page.conditions, nameCondition] }),
      params.values,
    );
    await manager.query('RESET enable_indexscan; RESET enable_indexonlyscan');
    return found;
  }

  /** The rows of the page's events, in the page's order. */
  private rowsOf(manager: EntityManager, ids: string[], order: EventOrder): Promise<EventRow[]> {
    return manager.query(
      `SELECT e.id, e.received_at, e.identity_id, e.identity_name, e.group_name, e.timestamp_ms::text, e.event_time,
              e.score, e.want_action, x.device_ip, x.ep_id, x.person_type, x.device_type, x.dev_sno,
              coalesce((SELECT json_agg(json_build_object('kind', i.kind, 'content_type', i.content_type,
                                                          'byte_size', i.byte_size, 'sha256', encode(i.sha256, 'hex')))
                          FROM history_event_image i WHERE i.event_id = e.id), '[]') AS images,
              (SELECT f.fiqa_result FROM history_event_fiqa f WHERE f.event_id = e.id AND f.source = 'box') AS fiqa_result
         FROM history_event e JOIN history_event_ext_data x ON x.event_id = e.id
        WHERE e.id = ANY($1::bigint[])
        ORDER BY e.event_time ${direction(order)}, e.id ${direction(order)}`,
      [ids],
    );
  }

  /** The list items of these events (the live feed's), newest first. */
  async itemsByIds(ids: string[]): Promise<EventItemDto[]> {
    if (ids.length === 0) return [];
    return (await this.rowsOf(this.dataSource.manager, ids, 'newest')).map(mapEventItem);
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

  private async count(manager: EntityManager, query: EventListQueryDto): Promise<number> {
    const params = new SqlParameters();
    const filter = eventFilterSql(query, params);
    const conditions = filter.nameCondition ? [...filter.conditions, filter.nameCondition] : filter.conditions;
    const [{ total }] = await manager.query(
      `SELECT count(*)::bigint AS total FROM ${fromSql(filter)} ${where(conditions)}`,
      params.values,
    );
    return Number(total);
  }
}

/** Rows walked in time order before a name filter turns to the trigram index. */
const NAME_WALK_ROWS = 10_000;

interface PageSql {
  from: string;
  conditions: string[];
  order: EventOrder;
  size: number;
  columns?: string;
}

const direction = (order: EventOrder) => (order === 'newest' ? 'DESC' : 'ASC');

const where = (conditions: string[]) => (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '');

const fromSql = (filter: EventFilterSql) =>
  `history_event e ${filter.joinsExtData ? 'JOIN history_event_ext_data x ON x.event_id = e.id' : ''}`;

/** The first `size` events in (event_time, id) order that meet the conditions. */
const pageSql = ({ from, conditions, order, size, columns = 'e.id' }: PageSql) =>
  `SELECT ${columns} FROM ${from} ${where(conditions)}
    ORDER BY e.event_time ${direction(order)}, e.id ${direction(order)} LIMIT ${size}`;

export const noEvent = (id: string) => new NotFoundException(`no event ${id}`);
