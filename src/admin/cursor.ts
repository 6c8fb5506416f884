import { isDatabaseId } from '../common/query-params';
import { MAX_TIMESTAMP_MS } from '../events/dto/history-event.dto';

/**
 * The cursor of the event list: base64url of the sort key of the last event of a page (lists
 * paged by id alone use src/common/id-cursor.ts). Keyset pagination goes on strictly after that
 * key, so a page costs the same however deep it is, and events that arrive meanwhile neither
 * shift the pages nor repeat an item.
 */

export type EventOrder = 'newest' | 'oldest';

/** The position after an event in the (event_time, id) order. */
export interface EventCursor {
  order: EventOrder;
  eventTimeMs: number;
  id: string;
}

export function encodeEventCursor(cursor: EventCursor): string {
  return Buffer.from(`e1:${cursor.order === 'newest' ? 'n' : 'o'}:${cursor.eventTimeMs}:${cursor.id}`).toString('base64url');
}

export function decodeEventCursor(text: string): EventCursor | null {
  const match = /^e1:([no]):(\d{1,15}):(\d+)$/.exec(Buffer.from(text, 'base64url').toString('latin1'));
  // A forged time beyond what an event can hold would reach the query as an invalid date.
  if (!match || !isDatabaseId(match[3]) || Number(match[2]) > MAX_TIMESTAMP_MS) return null;
  return { order: match[1] === 'n' ? 'newest' : 'oldest', eventTimeMs: Number(match[2]), id: match[3] };
}
