import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import { textDigestEquals } from '../../database/long-text';
import { SUMMARY_DIMENSIONS } from './entities/event-count-slot.entity';
import { DIMENSION_SQL, EDGE_POINTS_OF_EVENTS_SQL, SLOT_OF_EVENT_TIME } from './event-stats.sql';

/** The newest event id handed out (committed or not) when `at` was read, on the database's clock. */
export interface IdMark {
  lastId: string;
  at: Date;
}

/** Events folded per transaction, so that folding a large backlog never holds one huge transaction. */
const FOLD_CHUNK = 100_000;

/**
 * Folds stored events into the running totals that `GET /api/devices` and the summary read
 * (`edge_point`, `event_count_slot`), outside the ingest statement, so that uploads never wait
 * on a counter row. Events are folded in id order up to a watermark.
 *
 * Ids are handed out before commit, so a transaction can commit a lower id after a higher one.
 * A range of ids is therefore folded only once every id in it is settled: `mark()` notes the
 * highest id handed out and the time; once no transaction that started before that time can
 * still commit an event (`isSettled`), every event up to that id is either visible or never
 * will be. Readers add the events above the watermark themselves, so answers are exact at any
 * moment; folding only keeps that remainder small.
 *
 * Assumes what the service sets up: the id sequence hands out ids one at a time (CACHE 1), and
 * the writers of events connect with the service's database role (their sessions are visible).
 */
export class EventStatsFolding {
  constructor(private readonly dataSource: DataSource) {}

  async mark(): Promise<IdMark> {
    const [row] = await this.dataSource.query(
      `SELECT coalesce(pg_sequence_last_value(seq), 0)::text AS last_id, clock_timestamp() AS at,
              (SELECT seqcache FROM pg_sequence WHERE seqrelid = seq) AS cache
         FROM (SELECT pg_get_serial_sequence('history_event', 'id')::regclass AS seq) AS s`,
    );
    if (Number(row.cache) !== 1) {
      throw new Error(`the sequence of history_event.id caches ${row.cache} values per session; folding needs CACHE 1`);
    }
    return { lastId: row.last_id, at: row.at };
  }

  /**
   * True once no transaction that started before the mark could still commit an event with an
   * id up to the mark's: none that has written (it holds an xid), and no statement that was
   * already running (it may have drawn an id before getting an xid).
   */
  async isSettled(mark: IdMark): Promise<boolean> {
    const [{ running }] = await this.dataSource.query(
      `SELECT count(*)::int AS running FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
          AND xact_start < $1 AND (backend_xid IS NOT NULL OR (state = 'active' AND query_start < $1))`,
      [mark.at],
    );
    return running === 0;
  }

  /** Folds every event up to `upTo` not folded yet (by any instance). Returns the number of events folded. */
  async foldUpTo(upTo: string): Promise<number> {
    let folded = 0;
    for (;;) {
      const step = await this.dataSource.transaction((manager) => this.foldChunk(manager, upTo));
      if (step === null) return folded;
      folded += step;
    }
  }

  /** Marks, waits until the mark is settled (at most `timeoutMs`), and folds up to it. False if it did not settle. */
  async catchUp(timeoutMs = 10_000): Promise<boolean> {
    const mark = await this.mark();
    const deadline = Date.now() + timeoutMs;
    while (!(await this.isSettled(mark))) {
      if (Date.now() > deadline) return false;
      await sleep(20);
    }
    await this.foldUpTo(mark.lastId);
    return true;
  }

  /**
   * One step, in a transaction that holds the watermark row: instances fold in turn and never
   * twice. Returns the events folded, or null when the watermark is already at `upTo`.
   */
  private async foldChunk(manager: EntityManager, upTo: string): Promise<number | null> {
    await manager.query(
      `INSERT INTO event_stats_watermark (id, folded_up_to, folded_at) VALUES (1, 0, now()) ON CONFLICT (id) DO NOTHING`,
    );
    const [{ folded_up_to: from }] = await manager.query(
      `SELECT folded_up_to::text FROM event_stats_watermark WHERE id = 1 FOR UPDATE`,
    );
    if (BigInt(from) >= BigInt(upTo)) return null;
    const to = BigInt(upTo) - BigInt(from) > BigInt(FOLD_CHUNK) ? (BigInt(from) + BigInt(FOLD_CHUNK)).toString() : upTo;
    const dimensions = SUMMARY_DIMENSIONS.map((dimension) => `('${dimension}', ${DIMENSION_SQL[dimension].value})`);
    const [{ folded }] = await manager.query(
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
