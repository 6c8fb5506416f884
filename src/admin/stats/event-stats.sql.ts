import type { SummaryDimension } from './entities/event-count-slot.entity';
import { SLOT_MINUTES } from './entities/event-count-slot.entity';

/**
 * SQL shared by the folder and the readers: the value of each summary dimension for an event
 * row `e` (history_event) joined, where needed, with `x` (history_event_ext_data).
 */
export const DIMENSION_SQL: Record<SummaryDimension, { value: string; needsExtData: boolean }> = {
  person_type: { value: 'e.person_type::text', needsExtData: false },
  dev_sno: { value: 'e.dev_sno', needsExtData: false },
  ep_id: { value: 'e.ep_id', needsExtData: false },
  device_type: { value: 'x.device_type', needsExtData: true },
  want_action: { value: 'e.want_action::text', needsExtData: false },
};

/** The slot an event time falls in, as the fold computes it. */
export const SLOT_OF_EVENT_TIME = `date_bin('${SLOT_MINUTES} minutes', e.event_time, timestamptz '1970-01-01 00:00:00+00')`;

/** What WATERMARK_SQL answers. */
export interface WatermarkRow {
  w: string;
}

/** The watermark, 0 before the first fold. */
export const WATERMARK_SQL = `SELECT coalesce((SELECT folded_up_to FROM event_stats_watermark WHERE id = 1), 0)::text AS w`;

/**
 * Edge points as the events with ids in ($lower, $upper] describe them: counts, first and last
 * event time, and device IP and type from the latest event (ties: the highest id).
 */
export const EDGE_POINTS_OF_EVENTS_SQL = (range: string) => `
  SELECT e.dev_sno, e.ep_id,
         (array_agg(x.device_ip ORDER BY e.event_time DESC, e.id DESC))[1] AS device_ip,
         (array_agg(x.device_type ORDER BY e.event_time DESC, e.id DESC))[1] AS device_type,
         min(e.event_time) AS first_event_time, max(e.event_time) AS last_event_time, count(*) AS event_count
    FROM history_event e JOIN history_event_ext_data x ON x.event_id = e.id
   WHERE ${range}
   GROUP BY e.dev_sno, e.ep_id`;
