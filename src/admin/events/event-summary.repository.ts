import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SqlParameters } from '../../database/entity-rows-sql';
import { AdminQueries } from '../admin-queries';
import { SLOT_MINUTES } from '../stats/entities/event-count-slot.entity';
import { DIMENSION_SQL, WATERMARK_SQL, WatermarkRow } from '../stats/event-stats.sql';
import type { EventSummaryQueryDto, SummaryRow } from './dto/event-summary.dto';

const SLOT_MS = SLOT_MINUTES * 60_000;

/**
 * The counts of the summary, per bucket of a time zone. The folded events come from the
 * 15-minute slot counts (a month is a few thousand rows, however many events it holds); the
 * events not folded yet (ids above the watermark) and the partial slots at both ends of the range
 * come from the events themselves. All of it is read in one snapshot, so the answer is exact.
 */
@Injectable()
export class EventSummaryRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: AdminQueries,
  ) {}

  /** The IANA time zone names the database knows. */
  async timeZoneNames(): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query('SELECT name FROM pg_timezone_names');
    return rows.map((row) => row.name);
  }

  /** The counts per bucket start (in zone `tz`, a name the database knows) and value of the dimension. */
  counts(query: EventSummaryQueryDto, tz: string): Promise<SummaryRow[]> {
    return this.queries.read(async (manager) => {
      const [{ w }]: WatermarkRow[] = await manager.query(WATERMARK_SQL);
      // One person's events are few, and the slot counts are not kept per person: they are counted from the events.
      if (query.identity_id !== undefined) return this.fromEvents(manager, query, tz);
      const fromSlots = await this.fromSlots(manager, query, tz, w);
      return fromSlots ?? this.fromEvents(manager, query, tz);
    }, 'REPEATABLE READ');
  }

  /**
   * From the slot counts, plus the events of the partial slots and of ids above the watermark.
   * Null when a slot of the range would straddle two buckets, which happens only in a zone whose
   * offset is not a multiple of 15 minutes (local mean time before ~1970 in a few places).
   */
  private async fromSlots(
    manager: EntityManager,
    query: EventSummaryQueryDto,
    tz: string,
    watermark: string,
  ): Promise<SummaryRow[] | null> {
    const fromMs = query.from.getTime();
    const toMs = query.to.getTime();
    const innerFrom = Math.ceil(fromMs / SLOT_MS) * SLOT_MS;
    const innerTo = Math.floor(toMs / SLOT_MS) * SLOT_MS;
    if (innerFrom < innerTo) {
      const [{ aligned }]: { aligned: boolean | null }[] = await manager.query(
        `SELECT bool_and(date_trunc($1, slot, $2) = date_trunc($1, slot + interval '${SLOT_MINUTES * 60 - 0.001} seconds', $2)) AS aligned
           FROM generate_series($3::timestamptz, $4::timestamptz - interval '${SLOT_MINUTES} minutes', interval '${SLOT_MINUTES} minutes') AS slot`,
        [query.bucket, tz, new Date(innerFrom), new Date(innerTo)],
      );
      if (!aligned) return null;
    }
    const params = new SqlParameters();
    const dimension = DIMENSION_SQL[query.group_by ?? 'want_action'];
    const bucket = params.add(query.bucket, 'text');
    const zone = params.add(tz, 'text');
    const w = params.add(watermark, 'bigint');
    const events = (lower: number, upper: number, ids: string) =>
      `SELECT e.event_time AS t, ${dimension.value} AS value, 1::bigint AS n
         FROM history_event e ${dimension.needsExtData ? 'JOIN history_event_ext_data x ON x.event_id = e.id' : ''}
        WHERE ${ids} AND e.event_time >= ${params.add(new Date(lower), 'timestamptz')}
          AND e.event_time < ${params.add(new Date(upper), 'timestamptz')}`;
    const parts = [events(fromMs, toMs, `e.id > ${w}`)];
    if (innerFrom < innerTo) {
      parts.push(
        `SELECT s.slot AS t, v.value, s.event_count AS n
           FROM event_count_slot s JOIN event_count_value v ON v.id = s.value_id
          WHERE s.dimension = ${params.add(query.group_by ?? 'want_action', 'varchar')}
            AND s.slot >= ${params.add(new Date(innerFrom), 'timestamptz')} AND s.slot < ${params.add(new Date(innerTo), 'timestamptz')}`,
      );
      if (fromMs < innerFrom) parts.push(events(fromMs, innerFrom, `e.id <= ${w}`));
      if (innerTo < toMs) parts.push(events(innerTo, toMs, `e.id <= ${w}`));
    } else {
      parts.push(events(fromMs, toMs, `e.id <= ${w}`));
    }
    return manager.query(
      `SELECT start, extract(epoch from (start AT TIME ZONE ${zone}) - (start AT TIME ZONE 'UTC'))::int AS offset_seconds,
              value, count::text
         FROM (SELECT date_trunc(${bucket}, t, ${zone}) AS start, value, sum(n) AS count
                 FROM (${parts.join('\n UNION ALL\n')}) AS counted
                GROUP BY 1, 2) AS buckets
        ORDER BY start, value`,
      params.values,
    );
  }

  /** From the events alone (of one person with `identity_id`): exact in any zone, and as slow as the range is full. */
  private async fromEvents(manager: EntityManager, query: EventSummaryQueryDto, tz: string): Promise<SummaryRow[]> {
    const params = new SqlParameters();
    const dimension = DIMENSION_SQL[query.group_by ?? 'want_action'];
    const bucket = params.add(query.bucket, 'text');
    const zone = params.add(tz, 'text');
    return manager.query(
      `SELECT start, extract(epoch from (start AT TIME ZONE ${zone}) - (start AT TIME ZONE 'UTC'))::int AS offset_seconds,
              value, count::text
         FROM (SELECT date_trunc(${bucket}, e.event_time, ${zone}) AS start, ${dimension.value} AS value, count(*) AS count
                 FROM history_event e ${dimension.needsExtData ? 'JOIN history_event_ext_data x ON x.event_id = e.id' : ''}
                WHERE e.event_time >= ${params.add(query.from, 'timestamptz')} AND e.event_time < ${params.add(query.to, 'timestamptz')}
                  ${query.identity_id !== undefined ? `AND e.identity_id = ${params.add(query.identity_id, 'text')}` : ''}
                GROUP BY 1, 2) AS buckets
        ORDER BY start, value`,
      params.values,
    );
  }
}
