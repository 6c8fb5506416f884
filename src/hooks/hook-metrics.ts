import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { HookRepository } from './hook.repository';

/**
 * `se3_hooks{state}`, read from the database at each scrape (so every instance reports the same,
 * shared backlog): hooks not yet fanned out to their subscribers, deliveries pending, and dead
 * ones. Each count is an index-only scan of its part of an index (HookRepository.backlog): it
 * costs what the backlog is, not what the history is. Delivered ones are not read from the
 * table: each instance counts its own attempts by outcome as they end
 * (`se3_hook_delivery_attempts_total`).
 */
@Injectable()
export class HookMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly hooks: HookRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.gaugeFromDatabase('se3_hooks', 'Hooks awaiting fan-out, and deliveries pending or dead', 'state', async () => ({
      ...(await this.hooks.backlog()),
    }));
  }
}
