import type { EventItem, ImageKind, Query } from '../api';

/** The filters of the events page: every filter of GET /api/events, kept in the URL. */
export interface EventFilters {
  from?: string;
  to?: string;
  dev_sno?: string;
  ep_id?: string;
  device_ip?: string;
  device_type?: string;
  identity_id?: string;
  identity_name?: string;
  group_name?: string;
  person_type: number[];
  want_action?: string;
  score_min?: string;
  score_max?: string;
  fiqa_result?: 'true' | 'false';
  has_image?: ImageKind;
}

export const TEXT_FILTERS = [
  'from',
  'to',
  'dev_sno',
  'ep_id',
  'device_ip',
  'device_type',
  'identity_id',
  'identity_name',
  'group_name',
  'want_action',
  'score_min',
  'score_max',
  'fiqa_result',
  'has_image',
] as const;

export function readFilters(params: URLSearchParams): EventFilters {
  const filters: EventFilters = { person_type: [] };
  for (const name of TEXT_FILTERS) {
    const value = params.get(name);
    if (value) (filters as unknown as Record<string, string>)[name] = value;
  }
  filters.person_type = (params.get('person_type') ?? '')
    .split(',')
    .map(Number)
    .filter((type) => Number.isInteger(type) && type >= 1 && type <= 5);
  return filters;
}

/** The filters as URL parameters (also the API's query). */
export function filterQuery(filters: EventFilters): Query {
  const query: Query = {};
  for (const name of TEXT_FILTERS) query[name] = filters[name];
  if (filters.person_type.length > 0) query.person_type = filters.person_type;
  return query;
}

export function hasFilters(filters: EventFilters): boolean {
  return Object.values(filterQuery(filters)).some((value) => value !== undefined && value !== '');
}

/** Whether a live event belongs in the list the filters show (as GET /api/events would decide). */
export function matches(item: EventItem, filters: EventFilters): boolean {
  const time = Date.parse(item.event_time);
  if (filters.from && time < Date.parse(filters.from)) return false;
  if (filters.to && time >= Date.parse(filters.to)) return false;
  const x = item.ext_data;
  if (filters.dev_sno !== undefined && x.dev_sno !== filters.dev_sno) return false;
  if (filters.ep_id !== undefined && x.ep_id !== filters.ep_id) return false;
  if (filters.device_ip !== undefined && x.device_ip !== filters.device_ip) return false;
  if (filters.device_type !== undefined && x.device_type !== filters.device_type) return false;
  if (filters.identity_id !== undefined && item.identity_id !== filters.identity_id) return false;
  if (filters.group_name !== undefined && item.group_name !== filters.group_name) return false;
  if (filters.identity_name && !item.identity_name.toLowerCase().includes(filters.identity_name.toLowerCase())) return false;
  if (filters.person_type.length > 0 && !filters.person_type.includes(x.person_type)) return false;
  if (filters.want_action !== undefined && item.want_action !== filters.want_action) return false;
  if (filters.score_min !== undefined && item.score < Number(filters.score_min)) return false;
  if (filters.score_max !== undefined && item.score > Number(filters.score_max)) return false;
  if (filters.fiqa_result !== undefined && String(item.fiqa_result) !== filters.fiqa_result) return false;
  if (filters.has_image !== undefined && !item.images[filters.has_image]?.url) return false;
  return true;
}
