import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { DatabaseSettings } from '../config/database.settings';
import { HookSettings } from '../config/hook.settings';

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
  private client?: Client;
  private stopped = false;
  private listening?: Promise<void>;
  private pending = false;
  private wakeWaiter?: () => void;

  constructor(database: DatabaseSettings, hooks: HookSettings) {
    this.url = database.url;
    this.retryMs = Math.max(hooks.pollIntervalMs, 1_000);
  }

  start(): void {
    this.listening = this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
    await this.listening;
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

  private async listen(): Promise<void> {
    let failing = false;
    while (!this.stopped && this.url) {
      const client = new Client({ connectionString: this.url, application_name: 'se3-event-server hooks' });
      const lost = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
      });
      client.on('notification', () => this.wake());
      try {
        this.client = client;
        await client.connect();
        await client.query(`LISTEN ${HOOK_CREATED_CHANNEL}`);
        if (failing) this.logger.log('listening for new hooks again');
        failing = false;
        // Hooks may have been committed while nobody listened.
        this.wake();
        await lost;
      } catch {
        // The dispatcher reports database outages; here it is enough to try again.
      }
      await client.end().catch(() => undefined);
      if (this.stopped) return;
      if (!failing) this.logger.debug('lost the LISTEN connection; connecting again');
      failing = true;
      await sleep(this.retryMs);
    }
  }
}
