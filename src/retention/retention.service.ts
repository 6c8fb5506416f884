import { Injectable, Logger } from '@nestjs/common';
import { RetentionSettings } from '../config/retention.settings';
import { MetricsService, RetentionKind } from '../metrics/metrics.service';
import { RetainedTable, RetentionRepository } from './retention.repository';

export type RetentionReport = Record<RetentionKind, number>;

const DAY_MS = 24 * 60 * 60 * 1000;

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
    private readonly repository: RetentionRepository,
    private readonly settings: RetentionSettings,
    private readonly metrics: MetricsService,
  ) {}

  /** Runs every task; `null` when another instance is running them. `dryRun` only counts. */
  async run({ dryRun = false } = {}): Promise<RetentionReport | null> {
    return this.repository.whileLocked(async () => {
      const report = await this.runTasks(dryRun);
      const removed = Object.entries(report).filter(([, rows]) => rows > 0);
      this.logger.log(
        `${dryRun ? 'dry run, would remove' : 'removed'}: ${Object.entries(report)
          .map(([kind, rows]) => `${rows} ${kind.replace('_', ' ')}`)
          .join(', ')}`,
      );
      if (!dryRun) {
        for (const [kind, rows] of removed) this.metrics.countRetention(kind as RetentionKind, rows);
        if (removed.length > 0) await this.repository.vacuum();
      }
      return report;
    });
  }

  private async runTasks(dryRun: boolean): Promise<RetentionReport> {
    const { imageDays, strangerImageDays, eventDays, quarantineDays } = this.settings;
    const report: RetentionReport = { events: 0, quarantine: 0, conflicts: 0, images: 0, stranger_images: 0 };
    if (eventDays > 0) report.events = await this.removeOldest('history_event', cutoff(eventDays), dryRun);
    if (quarantineDays > 0) {
      report.quarantine = await this.removeOldest('quarantined_event', cutoff(quarantineDays), dryRun);
      report.conflicts = await this.removeOldest('event_conflict', cutoff(quarantineDays), dryRun);
    }
    // Images of events that go entirely are counted with the events (a dry run would otherwise count them twice).
    const eventsFrom = eventDays > 0 ? cutoff(eventDays) : new Date(0);
    if (imageDays > 0) report.images = await this.removeImages('images', eventsFrom, cutoff(imageDays), false, dryRun);
    if (strangerImageDays > 0 && (imageDays === 0 || strangerImageDays < imageDays)) {
      report.stranger_images = await this.removeImages('stranger_images', eventsFrom, cutoff(strangerImageDays), true, dryRun);
    }
    return report;
  }

  private get batchSize(): number {
    return this.settings.batchSize;
  }

  /** Rows of `table` received before `before`, oldest first, with what cascades from them. */
  private async removeOldest(table: RetainedTable, before: Date, dryRun: boolean): Promise<number> {
    let removed = 0;
    for (let after = '0'; ;) {
      const batch = await this.repository.oldPrefix(table, after, before, this.batchSize);
      if (batch.hi === null) return removed;
      if (!dryRun) await this.repository.deleteOld(table, after, batch.hi, before);
      removed += batch.old;
      after = batch.hi;
      if (batch.old < batch.size) return removed;
    }
  }

  /** Images of events received from `from` to `before` (only strangers' when `strangersOnly`); the events stay. */
  private async removeImages(task: RetentionKind, from: Date, before: Date, strangersOnly: boolean, dryRun: boolean): Promise<number> {
    let removed = 0;
    for (let after = await this.repository.watermark(task); ;) {
      const batch = await this.repository.oldPrefix('history_event', after, before, this.batchSize);
      if (batch.hi === null) return removed;
      removed += await this.repository.removeImages(task, { after, upTo: batch.hi, from, before }, strangersOnly, dryRun);
      after = batch.hi;
      if (batch.old < batch.size) return removed;
    }
  }
}

function cutoff(days: number): Date {
  return new Date(Date.now() - days * DAY_MS);
}
