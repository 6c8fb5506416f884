import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EnvironmentVariables } from '../config/environment';
import { MetricsService, RetentionKind } from '../metrics/metrics.service';

export type RetentionReport = Record<RetentionKind, number>;

const RETENTION_LOCK_ID = 0x5e3_7e7e;
const DAY_MS = 24 * 60 * 60 * 1000;

type Batch = { hi: string | null; old: number; size: number };
type RetainedTable = 'history_event' | 'quarantined_event' | 'event_conflict';

/**
 * Removes what has been kept long enough, by age since it was received:
 * images after IMAGE_RETENTION_DAYS (the event stays), strangers' images after
 * STRANGER_IMAGE_RETENTION_DAYS, events with everything that belongs to them after
 * EVENT_RETENTION_DAYS, quarantined events and conflicting copies of events (kept for review, like
 * them) after QUARANTINE_RETENTION_DAYS.
 *
 * It walks the tables in id order, oldest first, in batches of RETENTION_BATCH_SIZE rows, one
 * short statement each, so that no lock is held for long and a run costs what it removes (ids
 * grow with the reception time; tasks that keep the events remember how far they got). One
 * instance runs at a time (advisory lock). Afterwards VACUUM makes the space reusable.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly metrics: MetricsService,
  ) {}

  /** Runs every task; `null` when another instance is running them. `dryRun` only counts. */
  async run({ dryRun = false } = {}): Promise<RetentionReport | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [RETENTION_LOCK_ID]);
      if (!locked) return null;
      try {
        const report = await this.runTasks(dryRun);
        const removed = Object.entries(report).filter(([, rows]) => rows > 0);
        this.logger.log(
          `${dryRun ? 'dry run, would remove' : 'removed'}: ${Object.entries(report)
            .map(([kind, rows]) => `${rows} ${kind.replace('_', ' ')}`)
            .join(', ')}`,
        );
        if (!dryRun) {
          for (const [kind, rows] of removed) this.metrics.countRetention(kind as RetentionKind, rows);
          if (removed.length > 0) await this.vacuum();
        }
        return report;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK_ID]);
      }
    } finally {
      await runner.release();
    }
  }

  private async runTasks(dryRun: boolean): Promise<RetentionReport> {
    const days = (name: 'IMAGE_RETENTION_DAYS' | 'STRANGER_IMAGE_RETENTION_DAYS' | 'EVENT_RETENTION_DAYS' | 'QUARANTINE_RETENTION_DAYS') =>
      this.config.get(name, { infer: true });
    const report: RetentionReport = { events: 0, quarantine: 0, conflicts: 0, images: 0, stranger_images: 0 };
    if (days('EVENT_RETENTION_DAYS') > 0) {
      report.events = await this.removeOldest('history_event', cutoff(days('EVENT_RETENTION_DAYS')), dryRun);
    }
    if (days('QUARANTINE_RETENTION_DAYS') > 0) {
      report.quarantine = await this.removeOldest('quarantined_event', cutoff(days('QUARANTINE_RETENTION_DAYS')), dryRun);
      report.conflicts = await this.removeOldest('event_conflict', cutoff(days('QUARANTINE_RETENTION_DAYS')), dryRun);
    }
    // Images of events that go entirely are counted with the events (a dry run would otherwise count them twice).
    const eventsFrom = days('EVENT_RETENTION_DAYS') > 0 ? cutoff(days('EVENT_RETENTION_DAYS')) : new Date(0);
    if (days('IMAGE_RETENTION_DAYS') > 0) {
      report.images = await this.removeImages('images', eventsFrom, cutoff(days('IMAGE_RETENTION_DAYS')), false, dryRun);
    }
    const strangerDays = days('STRANGER_IMAGE_RETENTION_DAYS');
    if (strangerDays > 0 && (days('IMAGE_RETENTION_DAYS') === 0 || strangerDays < days('IMAGE_RETENTION_DAYS'))) {
      report.stranger_images = await this.removeImages('stranger_images', eventsFrom, cutoff(strangerDays), true, dryRun);
    }
    return report;
  }

  private get batchSize(): number {
    return this.config.get('RETENTION_BATCH_SIZE', { infer: true });
  }

  /** Rows of `table` received before `before`, oldest first, with what cascades from them. */
  private async removeOldest(table: RetainedTable, before: Date, dryRun: boolean): Promise<number> {
    let removed = 0;
    for (let after = '0'; ; ) {
      const batch = await this.oldPrefix(table, after, before);
      if (batch.hi === null) return removed;
      if (!dryRun) {
        await this.dataSource.query(
          `DELETE FROM "${table}" WHERE "id" > $1 AND "id" <= $2 AND "received_at" < $3`,
          [after, batch.hi, before],
        );
      }
      removed += batch.old;
      after = batch.hi;
      if (batch.old < batch.size) return removed;
    }
  }

  /** Images of events received from `from` to `before` (only strangers' when `strangersOnly`); the events stay. */
  private async removeImages(
    task: RetentionKind,
    from: Date,
    before: Date,
    strangersOnly: boolean,
    dryRun: boolean,
  ): Promise<number> {
    const events = `SELECT e."id" FROM "history_event" e
      ${strangersOnly ? 'JOIN "history_event_ext_data" x ON x."event_id" = e."id" AND x."person_type" = 4' : ''}
      WHERE e."id" > $1 AND e."id" <= $2 AND e."received_at" < $3 AND e."received_at" >= $4`;
    let removed = 0;
    for (let after = await this.watermark(task); ; ) {
      const batch = await this.oldPrefix('history_event', after, before);
      if (batch.hi === null) return removed;
      const [{ count }] = dryRun
        ? await this.dataSource.query(
            `SELECT count(*)::int AS count FROM "history_event_image" WHERE "event_id" IN (${events})`,
            [after, batch.hi, before, from],
          )
        : await this.dataSource.query(
            `WITH removed AS (DELETE FROM "history_event_image" WHERE "event_id" IN (${events}) RETURNING 1),
                  progress AS (
                    INSERT INTO "retention_watermark" ("task", "last_event_id", "updated_at") VALUES ($5, $2, now())
                    ON CONFLICT ("task") DO UPDATE SET "last_event_id" = excluded."last_event_id", "updated_at" = now())
             SELECT count(*)::int AS count FROM removed`,
            [after, batch.hi, before, from, task],
          );
      removed += count;
      after = batch.hi;
      if (batch.old < batch.size) return removed;
    }
  }

  /**
   * The next batch of rows after id `after`, in id order, and how far the old ones go: ids grow
   * with reception time, so the walk stops at the first row received after `before`.
   */
  private async oldPrefix(table: RetainedTable, after: string, before: Date): Promise<Batch> {
    const [batch] = await this.dataSource.query(
      `WITH batch AS (
         SELECT "id", "received_at" < $2 AS old, row_number() OVER (ORDER BY "id") AS position
           FROM (SELECT "id", "received_at" FROM "${table}" WHERE "id" > $1 ORDER BY "id" LIMIT $3) rows
       ), young AS (SELECT min(position) AS first FROM batch WHERE NOT old)
       SELECT max(b."id")::text AS hi, count(*)::int AS old, (SELECT count(*)::int FROM batch) AS size
         FROM batch b, young WHERE b.old AND (young.first IS NULL OR b.position < young.first)`,
      [after, before, this.batchSize],
    );
    return batch;
  }

  private async watermark(task: RetentionKind): Promise<string> {
    const [row] = await this.dataSource.query('SELECT "last_event_id"::text AS id FROM "retention_watermark" WHERE "task" = $1', [task]);
    return row?.id ?? '0';
  }

  /** On a connection of its own, without the service's statement timeout: vacuuming a large table takes what it takes. */
  private async vacuum(): Promise<void> {
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

function cutoff(days: number): Date {
  return new Date(Date.now() - days * DAY_MS);
}
