import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { FieldErrorsException } from '../../common/error-response';
import { SqlParameters } from '../../database/entity-rows-sql';
import { AdminQueries } from '../admin-queries';
import { SLOT_MINUTES } from '../stats/entities/event-count-slot.entity';
import { DIMENSION_SQL, WATERMARK_SQL } from '../stats/event-stats.sql';
import {
  EventSummaryDto,
  EventSummaryQueryDto,
  mapEventSummary,
  MAX_SUMMARY_DAYS,
  SummaryRow,
} from './dto/event-summary.dto';
import { TimeZones } from './time-zones';

const SLOT_MS = SLOT_MINUTES * 60_000;
const DAY_MS = 86_400_000;

/**
 * Counts events per hour or day of a time zone. The folded events come from the 15-minute
 * slot counts (a month is a few thousand rows, however many events it holds); the events not
 * folded yet (ids above the watermark) and the partial slots at both ends of the range come
 * from the events themselves. All of it is read in one snapshot, so the answer is exact.
 */
@Injectable()
export class EventSummaryService {
  constructor(
    private readonly queries: AdminQueries,
    private readonly timeZones: TimeZones,
  ) {}

  async summarize(query: EventSummaryQueryDto): Promise<EventSummaryDto> {
    const tz = await this.timeZones.resolve(query.tz);
    const maxDays = MAX_SUMMARY_DAYS[query.bucket];
    if (query.to.getTime() - query.from.getTime() > maxDays * DAY_MS) {
      throw new FieldErrorsException('the request is not valid', [
        {
          field: 'to',
          message: `from-to spans more than ${maxDays} days, the most with bucket=${query.bucket}: narrow it${query.bucket === 'hour' ? ' or use bucket=day' : ''}`,
        },
      ]);
    }
    const rows = await this.queries.read(async (manager) => {
      const [{ w }] = await manager.query(WATERMARK_SQL);
      // One person's events are few, and the slot counts are not kept per person: they are counted from the events.
      if (query.identity_id !== undefined) return this.fromEvents(manager, query, tz);
      const fromSlots = await this.fromSlots(manager, query, tz, w);
      return fromSlots ?? this.fromEvents(manager, query, tz);
    }, 'REPEATABLE READ');
    return mapEventSummary(query, tz, rows);
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
      const [{ aligned }] = await manager.query(
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
