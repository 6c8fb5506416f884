import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RetentionKind } from '../metrics/metrics.service';

const RETENTION_LOCK_ID = 0x5e3_7e7e;

/** The tables retention removes rows of by age; ids grow with reception time in each. */
export type RetainedTable = 'history_event' | 'quarantined_event' | 'event_conflict';

/** A batch of rows in id order: its last id, and how many of them (a prefix) were received before the cutoff. */
export interface RetentionBatch {
  hi: string | null;
  old: number;
  size: number;
}

/** The SQL of retention: id-ordered batches, deletes, the watermarks of the image tasks, the lock and VACUUM. */
@Injectable()
export class RetentionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` holding the retention lock on a connection of its own; null (without running it)
   * when another instance holds it.
   */
  async whileLocked<T>(work: () => Promise<T>): Promise<T | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [RETENTION_LOCK_ID])) as { locked: boolean }[];
      if (!locked) return null;
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK_ID]);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * The next `size` rows after id `after`, in id order, and how far the old ones go: ids grow
   * with reception time, so the walk stops at the first row received after `before`.
   */
  async oldPrefix(table: RetainedTable, after: string, before: Date, size: number): Promise<RetentionBatch> {
    const [batch]: RetentionBatch[] = await this.dataSource.query(
      `WITH batch AS (
         SELECT "id", "received_at" < $2 AS old, row_number() OVER (ORDER BY "id") AS position
           FROM (SELECT "id", "received_at" FROM "${table}" WHERE "id" > $1 ORDER BY "id" LIMIT $3) rows
       ), young AS (SELECT min(position) AS first FROM batch WHERE NOT old)
       SELECT max(b."id")::text AS hi, count(*)::int AS old, (SELECT count(*)::int FROM batch) AS size
         FROM batch b, young WHERE b.old AND (young.first IS NULL OR b.position < young.first)`,
      [after, before, size],
    );
    return batch;
  }

  /** Rows of `table` with ids in (after, upTo] received before `before`, with what cascades from them. */
  async deleteOld(table: RetainedTable, after: string, upTo: string, before: Date): Promise<void> {
    await this.dataSource.query(`DELETE FROM "${table}" WHERE "id" > $1 AND "id" <= $2 AND "received_at" < $3`, [after, upTo, before]);
  }

  /**
   * The images of events with ids in (after, upTo] received from `from` to `before` (only
   * strangers' when `strangersOnly`): counted with `dryRun`, else removed, and the task's
   * watermark moved to `upTo` in the same statement. Returns how many.
   */
  async removeImages(
    task: RetentionKind,
    range: { after: string; upTo: string; from: Date; before: Date },
    strangersOnly: boolean,
    dryRun: boolean,
  ): Promise<number> {
    const events = `SELECT e."id" FROM "history_event" e
      ${strangersOnly ? 'JOIN "history_event_ext_data" x ON x."event_id" = e."id" AND x."person_type" = 4' : ''}
      WHERE e."id" > $1 AND e."id" <= $2 AND e."received_at" < $3 AND e."received_at" >= $4`;
    const params = [range.after, range.upTo, range.before, range.from];
    const [{ count }]: { count: number }[] = dryRun
      ? await this.dataSource.query(`SELECT count(*)::int AS count FROM "history_event_image" WHERE "event_id" IN (${events})`, params)
      : await this.dataSource.query(
          `WITH removed AS (DELETE FROM "history_event_image" WHERE "event_id" IN (${events}) RETURNING 1),
                progress AS (
                  INSERT INTO "retention_watermark" ("task", "last_event_id", "updated_at") VALUES ($5, $2, now())
                  ON CONFLICT ("task") DO UPDATE SET "last_event_id" = excluded."last_event_id", "updated_at" = now())
           SELECT count(*)::int AS count FROM removed`,
          [...params, task],
        );
    return count;
  }

  /** The last event id an image task went through, '0' before its first run. */
  async watermark(task: RetentionKind): Promise<string> {
    const [row]: { id: string }[] = await this.dataSource.query(
      'SELECT "last_event_id"::text AS id FROM "retention_watermark" WHERE "task" = $1',
      [task],
    );
    return row?.id ?? '0';
  }

  /** On a connection of its own, without the service's statement timeout: vacuuming a large table takes what it takes. */
  async vacuum(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SET statement_timeout = 0');
      for (const table of ['history_event_image', 'history_event', 'quarantined_event', 'event_conflict']) {
        await runner.query(`VACUUM (SKIP_LOCKED) "${table}"`);
      }
    } finally {
      await runner.query('RESET statement_timeout').catch(() => undefined);
      await runner.release();
    }
  }
}
