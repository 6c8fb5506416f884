import { Injectable, OnModuleInit } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { HookRepository } from './hook.repository';

/**
 * `se3_hooks{state}` at each scrape: hooks not yet fanned out to their subscribers, deliveries
 * pending, and dead ones (HookRepository.backlog: each costs what the backlog is, not what the
 * history is); delivered ones are counted as they happen
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
