import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

export interface PgListenerOptions {
  url: string;
  channel: string;
  applicationName: string;
  /** Wait before connecting again after the connection was lost or could not be made. */
  retryMs: number;
  onNotification(payload: string | undefined): void;
  /** Each time LISTEN is in place; `again` after a loss (notifications may have been missed meanwhile). */
  onListening?(again: boolean): void;
  /** Each time the connection is lost or cannot be made. */
  onLost?(): void;
}

/** The longest a stop waits for pg to close a connection. */
const END_TIMEOUT_MS = 2_000;

/**
 * A connection of its own that LISTENs to one channel and connects again whenever it is lost,
 * until `stop()`. A stop is final at any moment, also while connecting: pg's `end()` during
 * `connect()` leaves that connect pending for ever, so nothing here waits on pg past a stop.
 */
export class PgListener {
  private stopped = false;
  private signalStop!: () => void;
  private readonly stopping = new Promise<void>((resolve) => {
    this.signalStop = resolve;
  });
  private readonly running: Promise<void>;

  constructor(private readonly options: PgListenerOptions) {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signalStop();
    await this.running;
  }

  private async run(): Promise<void> {
    const { url, channel, applicationName, retryMs } = this.options;
    let again = false;
    while (!this.stopped) {
      const client = new Client({ connectionString: url, application_name: applicationName });
      const lost = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
      });
      client.on('notification', (message) => {
        if (message.channel === channel) this.options.onNotification(message.payload);
      });
      const listening = client.connect().then(
        () => client.query(`LISTEN ${channel}`).then(() => true),
        () => false,
      );
      if ((await Promise.race([listening.catch(() => false), this.stopping.then(() => false)])) && !this.stopped) {
        this.options.onListening?.(again);
        await Promise.race([lost, this.stopping]);
      }
      await Promise.race([client.end().catch(() => undefined), sleep(END_TIMEOUT_MS, undefined, { ref: false })]);
      if (this.stopped) return;
      again = true;
      this.options.onLost?.();
      await Promise.race([sleep(retryMs, undefined, { ref: false }), this.stopping]);
    }
  }
}
