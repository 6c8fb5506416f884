import { Injectable } from '@nestjs/common';
import { AdminQueries } from '../admin-queries';
import { EDGE_POINTS_OF_EVENTS_SQL, WATERMARK_SQL, WatermarkRow } from '../stats/event-stats.sql';
import type { EdgePointRow } from './dto/devices.dto';

@Injectable()
export class DevicesRepository {
  constructor(private readonly queries: AdminQueries) {}

  /**
   * The edge points as folded (`edge_point`), merged with the events not folded yet (ids above
   * the watermark), in one snapshot: exact, and without reading the folded events again.
   */
  edgePoints(): Promise<EdgePointRow[]> {
    return this.queries.read(async (manager) => {
      const [{ w }]: WatermarkRow[] = await manager.query(WATERMARK_SQL);
      const rows: EdgePointRow[] = await manager.query(
        `WITH recent AS (${EDGE_POINTS_OF_EVENTS_SQL('e.id > $1::bigint')})
         SELECT coalesce(d.dev_sno, r.dev_sno) AS dev_sno, coalesce(d.ep_id, r.ep_id) AS ep_id,
                CASE WHEN d.ep_id IS NULL OR r.last_event_time >= d.last_event_time THEN r.device_ip ELSE d.device_ip END AS device_ip,
                CASE WHEN d.ep_id IS NULL OR r.last_event_time >= d.last_event_time THEN r.device_type ELSE d.device_type END AS device_type,
                least(d.first_event_time, r.first_event_time) AS first_event_time,
                greatest(d.last_event_time, r.last_event_time) AS last_event_time,
                (coalesce(d.event_count, 0) + coalesce(r.event_count, 0))::text AS event_count
           FROM edge_point d FULL JOIN recent r ON r.dev_sno = d.dev_sno AND r.ep_id = d.ep_id
          ORDER BY 1, 2`,
        [w],
      );
      return rows;
    }, 'REPEATABLE READ');
  }
}
