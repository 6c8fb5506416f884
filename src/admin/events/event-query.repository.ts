import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SqlParameters } from '../../database/entity-rows-sql';
import type { ImageKind } from '../../events/dto/history-event.dto';
import { HistoryEventImageEntity } from '../../events/entities/history-event-image.entity';
import { HistoryEventEntity } from '../../events/entities/history-event.entity';
import type { StoredHistoryEvent } from '../../events/history-event.mapper';
import { AdminQueries } from '../admin-queries';
import type { EventOrder } from '../cursor';
import type { EventListQueryDto } from './dto/event-query.dto';
import type { EventRow } from './dto/event.dto';
import { afterCursorSql, EventFilterSql, eventFilterSql } from './event-filters';

/** An image's type, hash and size, and its bytes when asked for. */
export type StoredImageRow = Pick<HistoryEventImageEntity, 'contentType' | 'sha256' | 'byteSize' | 'data'>;

/** The reads of the event history for the admin API: pages of the search, details, originals, images. */
@Injectable()
export class EventQueryRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: AdminQueries,
  ) {}

  /**
   * One page in (event_time, id) order, strictly after the cursor, one row more than the limit
   * when a next page follows, and the total when asked for (ADMIN_QUERY_TIMEOUT bounds each
   * statement). The page's ids come from an index walk; the rows to show are read for those ids only.
   */
  page(query: EventListQueryDto): Promise<{ rows: EventRow[]; total?: number }> {
    return this.queries.read(async (manager) => {
      const cursor = query.decodedCursor();
      const params = new SqlParameters();
      const filter = eventFilterSql(query, params);
      const conditions = cursor ? [...filter.conditions, afterCursorSql(cursor, params)] : filter.conditions;
      const page = { from: fromSql(filter), conditions, order: query.order, size: query.limit + 1 };
      const ids: { id: string }[] = filter.nameCondition
        ? await this.pageByName(manager, page, filter.nameCondition, params)
        : await manager.query(pageSql(page), params.values);
      const rows =
        ids.length === 0
          ? []
          : await this.rowsOf(
              manager,
              ids.map((row) => row.id),
              query.order,
            );
      return query.count ? { rows, total: await this.count(manager, query) } : { rows };
    });
  }

  /**
   * A page filtered by a name substring. Where the name is common, walking the time order and
   * testing each row finds a page within a few thousand rows, at the same cost however large the
   * table; the walk is capped at NAME_WALK_ROWS. Where that does not fill the page, the name is
   * rare, and the trigram index finds its few rows to sort. The planner, left to choose, picks
   * the trigram index for common names too once the table is large (and sorts thousands of rows).
   */
  private async pageByName(manager: EntityManager, page: PageSql, nameCondition: string, params: SqlParameters): Promise<{ id: string }[]> {
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
  rowsOf(manager: EntityManager, ids: string[], order: EventOrder): Promise<EventRow[]> {
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

  /** The list rows of these events, newest first. */
  rowsByIds(ids: string[]): Promise<EventRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.rowsOf(this.dataSource.manager, ids, 'newest');
  }

  /** The event with its ext_data and FIQA rows, and its images without their bytes. */
  async findDetail(id: string): Promise<StoredHistoryEvent | null> {
    const event = await this.dataSource
      .getRepository(HistoryEventEntity)
      .createQueryBuilder('e')
      .innerJoinAndSelect('e.extData', 'x')
      .leftJoinAndSelect('e.fiqa', 'f')
      .leftJoin('e.images', 'i')
      .addSelect(['i.eventId', 'i.kind', 'i.contentType', 'i.byteSize', 'i.sha256'])
      .where('e.id = :id', { id })
      .getOne();
    return event as StoredHistoryEvent | null;
  }

  /** The event with every row that belongs to it, image bytes included. */
  async findWhole(id: string): Promise<StoredHistoryEvent | null> {
    const event = await this.dataSource.getRepository(HistoryEventEntity).findOne({
      where: { id },
      relations: { extData: true, fiqa: true, images: true },
    });
    return event as StoredHistoryEvent | null;
  }

  findImage(id: string, kind: ImageKind, withData: boolean): Promise<StoredImageRow | null> {
    return this.dataSource.getRepository(HistoryEventImageEntity).findOne({
      select: { contentType: true, sha256: true, byteSize: true, ...(withData ? { data: true } : {}) },
      where: { eventId: id, kind },
    });
  }

  exists(id: string): Promise<boolean> {
    return this.dataSource.getRepository(HistoryEventEntity).existsBy({ id });
  }

  private async count(manager: EntityManager, query: EventListQueryDto): Promise<number> {
    const params = new SqlParameters();
    const filter = eventFilterSql(query, params);
    const conditions = filter.nameCondition ? [...filter.conditions, filter.nameCondition] : filter.conditions;
    const [{ total }] = await manager.query<{ total: string }[]>(
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
