import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { HistoryEventRepository } from './history-event.repository';

/** The channel that tells every instance which events and quarantined events were just committed. */
export const EVENTS_CHANNEL = 'se3_events';
/** How long new ids are gathered before one NOTIFY carries them all. */
export const NOTIFY_INTERVAL_MS = 100;
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7_900;

/** What a NOTIFY on EVENTS_CHANNEL carries: ids of stored events (`e`) and of quarantined events (`q`). */
export interface StoredNotice {
  e: string[];
  q: string[];
}

/**
 * Tells the other instances (and this one) about committed uploads, for the console's live feed.
 * The ingest statement does not NOTIFY: a NOTIFY in a transaction serialises its commit with
 * every other notifying transaction's (PostgreSQL holds a global lock from the notify until the
 * commit is flushed), which would queue every upload behind the others' disk flushes. Instead the
 * ids are gathered here after the commit and sent by one NOTIFY every NOTIFY_INTERVAL_MS, outside
 * any upload's transaction. A crash between an upload's commit and that NOTIFY loses it from the
 * live feed only: the event is stored, and lists show it.
 */
@Injectable()
export class StoredEventsNotifier implements OnApplicationShutdown {
  private readonly logger = new Logger('LiveNotify');
  private events: string[] = [];
  private quarantined: string[] = [];
  private timer?: NodeJS.Timeout;
  private sending = Promise.resolve();

  constructor(private readonly repository: HistoryEventRepository) {}

  /** Ids the ingest just committed. Costs the upload an array push. */
  committed(eventIds: string[], quarantineIds: string[]): void {
    if (eventIds.length === 0 && quarantineIds.length === 0) return;
    this.events.push(...eventIds);
    this.quarantined.push(...quarantineIds);
    this.timer ??= setTimeout(() => this.flush(), NOTIFY_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) this.flush();
    await this.sending;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const payloads = chunk(this.events, this.quarantined);
    this.events = [];
    this.quarantined = [];
    this.sending = this.sending.then(async () => {
      for (const payload of payloads) {
        await this.repository.notify(EVENTS_CHANNEL, payload).catch((error: Error) => {
          this.logger.debug(`could not notify the live feed: ${error.message}`);
        });
      }
    });
  }
}

/** The ids as JSON payloads, each under PostgreSQL's limit. */
export function chunk(events: string[], quarantined: string[]): string[] {
  const payloads: string[] = [];
  let current: StoredNotice = { e: [], q: [] };
  let size = 16;
  const add = (list: 'e' | 'q', id: string) => {
    if (size + id.length + 3 > MAX_PAYLOAD) {
      payloads.push(JSON.stringify(current));
      current = { e: [], q: [] };
      size = 16;
    }
    current[list].push(id);
    size += id.length + 3;
  };
  for (const id of events) add('e', id);
  for (const id of quarantined) add('q', id);
  if (current.e.length > 0 || current.q.length > 0) payloads.push(JSON.stringify(current));
  return payloads;
}
