import { SqlParameters } from '../../database/entity-rows-sql';
import { textPrefixEquals } from '../../database/long-text';
import { EventCursor } from '../cursor';
import type { EventListQueryDto } from './dto/event-query.dto';

/** Conditions on `e` (history_event) and, when `joinsExtData`, `x` (history_event_ext_data). */
export interface EventFilterSql {
  conditions: string[];
  joinsExtData: boolean;
  /** The identity_name condition, apart: it is applied in two ways (see EventQueryService). */
  nameCondition?: string;
}

/** `%`, `_` and `\` match themselves in the name filter. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/**
 * The WHERE conditions of the event filters, with their parameters. The filters that come with
 * a time order in one index (dev_sno, ep_id, identity_id, person_type, want_action) are on
 * history_event; the others are checked on the rows the time order walks through.
 */
export function eventFilterSql(query: EventListQueryDto, params: SqlParameters): EventFilterSql {
  const conditions: string[] = [];
  let joinsExtData = false;
  const equals = (column: string, value: string | undefined, type = 'text') => {
    if (value !== undefined) conditions.push(`${column} = ${params.add(value, type)}`);
  };
  // Indexed by their first characters (the text may be longer than an index entry): see long-text.ts.
  const prefixEquals = (column: string, value: string | undefined) => {
    if (value !== undefined) conditions.push(textPrefixEquals(column, params.add(value, 'text')));
  };
  if (query.from) conditions.push(`e.event_time >= ${params.add(query.from, 'timestamptz')}`);
  if (query.to) conditions.push(`e.event_time < ${params.add(query.to, 'timestamptz')}`);
  prefixEquals('e.dev_sno', query.dev_sno);
  prefixEquals('e.ep_id', query.ep_id);
  prefixEquals('e.identity_id', query.identity_id);
  equals('e.group_name', query.group_name);
  equals('e.want_action', query.want_action, 'varchar');
  if (query.device_ip !== undefined || query.device_type !== undefined) joinsExtData = true;
  equals('x.device_ip', query.device_ip);
  equals('x.device_type', query.device_type);
  const nameCondition = query.identity_name
    ? `e.identity_name ILIKE ${params.add(`%${escapeLike(query.identity_name)}%`, 'text')}`
    : undefined;
  if (query.person_type?.length === 1) conditions.push(`e.person_type = ${params.add(query.person_type[0], 'smallint')}`);
  else if (query.person_type) conditions.push(`e.person_type = ANY(${params.add(query.person_type, 'smallint[]')})`);
  if (query.score_min !== undefined) conditions.push(`e.score >= ${params.add(query.score_min, 'float8')}`);
  if (query.score_max !== undefined) conditions.push(`e.score <= ${params.add(query.score_max, 'float8')}`);
  if (query.fiqa_result !== undefined) {
    conditions.push(
      `EXISTS (SELECT 1 FROM history_event_fiqa f WHERE f.event_id = e.id AND f.source = 'box' AND f.fiqa_result = ${params.add(query.fiqa_result, 'boolean')})`,
    );
  }
  if (query.has_image) {
    conditions.push(
      `EXISTS (SELECT 1 FROM history_event_image i WHERE i.event_id = e.id AND i.kind = ${params.add(query.has_image, 'varchar')} AND i.byte_size > 0)`,
    );
  }
  return { conditions, joinsExtData, nameCondition };
}

/** Strictly after the cursor, in the cursor's order. */
export function afterCursorSql(cursor: EventCursor, params: SqlParameters): string {
  const position = `(${params.add(new Date(cursor.eventTimeMs), 'timestamptz')}, ${params.add(cursor.id, 'bigint')})`;
  return `(e.event_time, e.id) ${cursor.order === 'newest' ? '<' : '>'} ${position}`;
}
