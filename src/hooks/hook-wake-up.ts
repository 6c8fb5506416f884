import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSettings } from '../config/database.settings';
import { HookSettings } from '../config/hook.settings';
import { PgListener } from '../database/pg-listener';

/** The channel the hook table's trigger notifies when a statement inserted hooks (see the HookDelivery migration). */
export const HOOK_CREATED_CHANNEL = 'se3_hook_created';

/**
 * Wakes an idle dispatcher as soon as a hook is committed, by any instance: a connection of its
 * own LISTENs to the hook table's NOTIFY. When that connection is lost, it connects again; the
 * dispatcher's poll interval covers the gap.
 */
@Injectable()
export class HookWakeUp {
  private readonly logger = new Logger('HookWakeUp');
  private readonly url?: string;
  private readonly retryMs: number;
  private listener?: PgListener;
  private pending = false;
  private wakeWaiter?: () => void;

  constructor(database: DatabaseSettings, hooks: HookSettings) {
    this.url = database.url;
    this.retryMs = Math.max(hooks.pollIntervalMs, 1_000);
  }

  start(): void {
    if (!this.url) return;
    this.listener = new PgListener({
      url: this.url,
      channel: HOOK_CREATED_CHANNEL,
      applicationName: 'se3-event-server hooks',
      retryMs: this.retryMs,
      onNotification: () => this.wake(),
      onListening: (again) => {
        if (again) this.logger.log('listening for new hooks again');
        // Hooks may have been committed while nobody listened.
        this.wake();
      },
      onLost: () => this.logger.debug('lost the LISTEN connection; connecting again'),
    });
  }

  async stop(): Promise<void> {
    await this.listener?.stop();
  }

  wake(): void {
    this.pending = true;
    this.wakeWaiter?.();
  }

  /** Resolves after `ms`, or earlier on a notification (or one that came since the last wait). */
  async wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    const controller = new AbortController();
    this.wakeWaiter = () => controller.abort();
    await sleep(ms, undefined, { signal: controller.signal }).catch(() => undefined);
    this.wakeWaiter = undefined;
    this.pending = false;
  }
}
