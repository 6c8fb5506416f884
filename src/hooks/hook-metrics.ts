import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';

/**
 * `se3_hooks{state}` at each scrape: hooks not yet fanned out to their subscribers, deliveries
 * pending, and dead ones. Each count is read from a partial index, so it costs what the backlog
 * is, not what the history is; delivered ones are counted as they happen
 * (`se3_hook_delivery_attempts_total`).
 */
@Injectable()
export class HookMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.metrics.gaugeFromDatabase('se3_hooks', 'Hooks awaiting fan-out, and deliveries pending or dead', 'state', async () => {
      const [row] = await this.dataSource.query(
        `SELECT (SELECT count(*)::int FROM "hook" WHERE NOT "fanned_out") AS awaiting_fan_out,
                (SELECT count(*)::int FROM "hook_delivery" WHERE "status" = 'pending') AS pending,
                (SELECT count(*)::int FROM "hook_delivery" WHERE "status" = 'dead') AS dead`,
      );
      return row;
    });
  }
}
