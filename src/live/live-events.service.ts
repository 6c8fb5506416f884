import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventQueryService } from '../admin/events/event-query.service';
import type { EventItemDto } from '../admin/events/dto/event.dto';
import { DatabaseSettings } from '../config/database.settings';
import { PgListener } from '../database/pg-listener';
import { EVENTS_CHANNEL, NOTIFY_INTERVAL_MS, StoredNotice } from '../events/stored-events.notifier';

/** A message of the live feed. */
export type LiveMessage =
  | { type: 'events'; items: EventItemDto[] }
  | { type: 'quarantined'; ids: string[] }
  /** The feed may have missed events (its database connection was lost): lists should be read again. */
  | { type: 'resync' };

export type LiveListener = (message: LiveMessage) => void;

/** Events read per query when many arrive at once. */
const FETCH_BATCH = 500;

/**
 * The live feed of one instance: a connection of its own LISTENs to EVENTS_CHANNEL, which every
 * instance's StoredEventsNotifier notifies, so each instance hears of every committed event.
 * Ids heard within NOTIFY_INTERVAL_MS are read in one query, and only while someone listens.
 */
@Injectable()
export class LiveEventsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Live');
  private readonly url?: string;
  private readonly listeners = new Set<LiveListener>();
  private listener?: PgListener;
  private pendingEvents: string[] = [];
  private pendingQuarantine: string[] = [];
  private timer?: NodeJS.Timeout;
  private reading = Promise.resolve();

  constructor(
    private readonly events: EventQueryService,
    database: DatabaseSettings,
  ) {
    this.url = database.url;
  }

  onApplicationBootstrap(): void {
    if (!this.url) return;
    this.listener = new PgListener({
      url: this.url,
      channel: EVENTS_CHANNEL,
      applicationName: 'se3-event-server live',
      retryMs: 1_000,
      onNotification: (payload) => this.heard(payload),
      onListening: (again) => {
        if (!again) return;
        this.logger.log('listening for new events again');
        this.broadcast({ type: 'resync' });
      },
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.listener?.stop();
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Handles one NOTIFY payload (public for the tests of the payload format). */
  heard(payload: string | undefined): void {
    if (this.listeners.size === 0 || !payload) return;
    let notice: StoredNotice;
    try {
      notice = JSON.parse(payload) as StoredNotice;
    } catch {
      return;
    }
    const ids = (list: unknown) =>
      Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string' && /^\d{1,19}$/.test(id)) : [];
    this.pendingEvents.push(...ids(notice.e));
    this.pendingQuarantine.push(...ids(notice.q));
    this.timer ??= setTimeout(() => this.flush(), NOTIFY_INTERVAL_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const events = this.pendingEvents;
    const quarantined = this.pendingQuarantine;
    this.pendingEvents = [];
    this.pendingQuarantine = [];
    this.reading = this.reading.then(async () => {
      if (quarantined.length > 0) this.broadcast({ type: 'quarantined', ids: quarantined });
      for (let start = 0; start < events.length; start += FETCH_BATCH) {
        try {
          const items = await this.events.itemsByIds(events.slice(start, start + FETCH_BATCH));
          if (items.length > 0) this.broadcast({ type: 'events', items });
        } catch (error) {
          this.logger.warn(`could not read new events for the live feed: ${(error as Error).message}`);
          this.broadcast({ type: 'resync' });
        }
      }
    });
  }

  private broadcast(message: LiveMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}
