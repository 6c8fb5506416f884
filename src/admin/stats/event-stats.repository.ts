import type { DataSource, EntityManager } from 'typeorm';
import { textDigestEquals } from '../../database/long-text';
import { SUMMARY_DIMENSIONS } from './entities/event-count-slot.entity';
import { DIMENSION_SQL, EDGE_POINTS_OF_EVENTS_SQL, SLOT_OF_EVENT_TIME } from './event-stats.sql';

/** Events folded per transaction, so that folding a large backlog never holds one huge transaction. */
const FOLD_CHUNK = 100_000;

/** The id sequence of history_event as `mark` reads it. */
export interface SequenceMark {
  last_id: string;
  at: Date;
  /** Ids a session caches (seqcache): folding needs 1. */
  cache: string;
}

/**
 * The SQL of folding events into edge_point and event_count_slot (EventStatsFolding, which makes
 * one from a DataSource, also outside Nest in the seeder, says when and why).
 */
export class EventStatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The newest event id handed out (committed or not) and the database's clock. */
  async sequenceMark(): Promise<SequenceMark> {
    const [row]: SequenceMark[] = await this.dataSource.query(
      `SELECT coalesce(pg_sequence_last_value(seq), 0)::text AS last_id, clock_timestamp() AS at,
              (SELECT seqcache FROM pg_sequence WHERE seqrelid = seq) AS cache
         FROM (SELECT pg_get_serial_sequence('history_event', 'id')::regclass AS seq) AS s`,
    );
    return row;
  }

  /**
   * Transactions that started before `at` and could still commit an event: those that have
   * written (they hold an xid), and statements that were already running (they may have drawn an
   * id before getting an xid).
   */
  async transactionsRunningSince(at: Date): Promise<number> {
    const [{ running }]: { running: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS running FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
          AND xact_start < $1 AND (backend_xid IS NOT NULL OR (state = 'active' AND query_start < $1))`,
      [at],
    );
    return running;
  }

  /**
   * Folds the next events up to `upTo` not folded yet (FOLD_CHUNK at most), in a transaction
   * that holds the watermark row: instances fold in turn and never twice. Returns the events
   * folded, or null when the watermark is already at `upTo`.
   */
  foldNext(upTo: string): Promise<number | null> {
    return this.dataSource.transaction((manager) => this.foldChunk(manager, upTo));
  }

  private async foldChunk(manager: EntityManager, upTo: string): Promise<number | null> {
    await manager.query(`INSERT INTO event_stats_watermark (id, folded_up_to, folded_at) VALUES (1, 0, now()) ON CONFLICT (id) DO NOTHING`);
    const [{ folded_up_to: from }]: { folded_up_to: string }[] = await manager.query(
      `SELECT folded_up_to::text FROM event_stats_watermark WHERE id = 1 FOR UPDATE`,
    );
    if (BigInt(from) >= BigInt(upTo)) return null;
    const to = BigInt(upTo) - BigInt(from) > BigInt(FOLD_CHUNK) ? (BigInt(from) + BigInt(FOLD_CHUNK)).toString() : upTo;
    const dimensions = SUMMARY_DIMENSIONS.map((dimension) => `('${dimension}', ${DIMENSION_SQL[dimension].value})`);
    const [{ folded }]: { folded: number }[] = await manager.query(
      `WITH batch AS MATERIALIZED (${EDGE_POINTS_OF_EVENTS_SQL('e.id > $1::bigint AND e.id <= $2::bigint')}),
       edge_points AS (
         INSERT INTO edge_point (dev_sno, ep_id, device_ip, device_type, first_event_time, last_event_time, event_count)
         SELECT dev_sno, ep_id, device_ip, device_type, first_event_time, last_event_time, event_count FROM batch
         ON CONFLICT ((text_digest(dev_sno)), (text_digest(ep_id))) DO UPDATE SET
           device_ip = CASE WHEN EXCLUDED.last_event_time >= edge_point.last_event_time THEN EXCLUDED.device_ip ELSE edge_point.device_ip END,
           device_type = CASE WHEN EXCLUDED.last_event_time >= edge_point.last_event_time THEN EXCLUDED.device_type ELSE edge_point.device_type END,
           first_event_time = least(edge_point.first_event_time, EXCLUDED.first_event_time),
           last_event_time = greatest(edge_point.last_event_time, EXCLUDED.last_event_time),
           event_count = edge_point.event_count + EXCLUDED.event_count
       ),
       counted AS MATERIALIZED (
         SELECT d.dimension, ${SLOT_OF_EVENT_TIME} AS slot, d.value, count(*) AS n
           FROM history_event e JOIN history_event_ext_data x ON x.event_id = e.id
          CROSS JOIN LATERAL (VALUES ${dimensions.join(', ')}) AS d(dimension, value)
          WHERE e.id > $1::bigint AND e.id <= $2::bigint
          GROUP BY 1, 2, 3
       ),
       new_values AS (
         INSERT INTO event_count_value (value) SELECT DISTINCT value FROM counted
         ON CONFLICT ((text_digest(value))) DO NOTHING RETURNING id, value
       ),
       slots AS (
         INSERT INTO event_count_slot (dimension, slot, value_id, event_count)
         SELECT c.dimension, c.slot, coalesce(n.id, v.id), c.n
           FROM counted c
           LEFT JOIN new_values n ON n.value = c.value
           LEFT JOIN event_count_value v ON ${textDigestEquals('v.value', 'c.value')}
         ON CONFLICT (dimension, slot, value_id) DO UPDATE SET event_count = event_count_slot.event_count + EXCLUDED.event_count
       ),
       watermark AS (
         UPDATE event_stats_watermark SET folded_up_to = $2::bigint, folded_at = now() WHERE id = 1
       )
       SELECT coalesce(sum(event_count), 0)::int AS folded FROM batch`,
      [from, to],
    );
    return folded;
  }
}
