import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { RetentionSettings } from '../config/retention.settings';
import { RetentionService } from './retention.service';

/** Runs retention on RETENTION_CRON (the command-line run does not schedule anything). */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly retention: RetentionService,
    private readonly scheduler: SchedulerRegistry,
    private readonly settings: RetentionSettings,
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: this.settings.cron,
      onTick: async () => {
        await this.retention.run().catch((error: Error) => this.logger.warn(`retention run failed: ${error.message}`));
      },
      waitForCompletion: true,
    });
    this.scheduler.addCronJob('retention', job);
    job.start();
  }
}
