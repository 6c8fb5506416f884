import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../../common/database-errors';
import { AdminSettings } from '../../config/admin.settings';
import { EventStatsFolding, IdMark } from './event-stats-folding';

/**
 * Every ADMIN_STATS_INTERVAL_MS, folds the events stored since the last round into the device
 * list and the summary counts. A mark is folded one round after it was taken if it has settled
 * by then (else the next round tries again), so the job never waits on the uploads in flight.
 */
@Injectable()
export class EventStatsFolder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventStats');
  private readonly folding: EventStatsFolding;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private pending?: IdMark;

  constructor(@InjectDataSource() dataSource: DataSource, settings: AdminSettings) {
    this.folding = new EventStatsFolding(dataSource);
    this.intervalMs = settings.statsIntervalMs;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.startRound(), this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** Folds everything committed so far, waiting (a little) for the uploads in flight. */
  async catchUp(timeoutMs?: number): Promise<boolean> {
    return this.folding.catchUp(timeoutMs);
  }

  private startRound(): void {
    if (this.round) return;
    this.round = this.foldPending()
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (isDatabaseUnavailable(error)) this.logger.warn(`folding skipped, database unavailable: ${message}`);
        else this.logger.error(`folding failed: ${message}`);
      })
      .finally(() => (this.round = undefined));
  }

  private async foldPending(): Promise<void> {
    if (this.pending && (await this.folding.isSettled(this.pending))) {
      const folded = await this.folding.foldUpTo(this.pending.lastId);
      if (folded > 0) this.logger.debug(`folded ${folded} events, up to id ${this.pending.lastId}`);
      this.pending = undefined;
    }
    this.pending ??= await this.folding.mark();
  }
}
