/** The admin API as the console uses it: same origin, the session cookie, JSON. */

export type ImageKind = 'reg_pic' | 'spot_pic' | 'recognize_face';
export const IMAGE_KINDS: ImageKind[] = ['reg_pic', 'spot_pic', 'recognize_face'];
export const PERSON_TYPES = [1, 2, 3, 4, 5] as const;
export const WANT_ACTIONS = ['0', '1001', '1002'] as const;

export interface EventImage {
  url: string | null;
  thumbnail_url: string | null;
  content_type: string | null;
  byte_size: number;
  sha256: string;
}

export interface EventItem {
  id: string;
  received_at: string;
  identity_id: string;
  identity_name: string;
  group_name: string;
  timestamp: number;
  event_time: string;
  score: number;
  want_action: string;
  ext_data: { device_ip: string; ep_id: string; person_type: number; device_type: string; dev_sno: string };
  images: Partial<Record<ImageKind, EventImage>>;
  fiqa_result: boolean | null;
}

export interface EventDetail extends Omit<EventItem, 'ext_data'> {
  received_from: string | null;
  extra_fields: Record<string, unknown> | null;
  ext_data: EventItem['ext_data'] & {
    person_type_sent: boolean;
    grab_fiqa_info: Record<string, unknown>;
    box_fiqa_info: Record<string, unknown>;
    extra_fields: Record<string, unknown> | null;
  };
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface SummaryBucket {
  start: string;
  total: number;
  counts?: Record<string, number>;
}

export interface Summary {
  buckets: SummaryBucket[];
  tz: string;
}

export interface EdgePoint {
  ep_id: string;
  device_ip: string;
  device_type: string;
  event_count: number;
  first_event_time: string;
  last_event_time: string;
}

export interface Box {
  dev_sno: string;
  event_count: number;
  first_event_time: string;
  last_event_time: string;
  edge_points: EdgePoint[];
}

export interface FieldError {
  field: string;
  message: string;
}

export interface QuarantinedEvent {
  id: string;
  received_at: string;
  received_from: string | null;
  format: 'json' | 'form';
  dev_sno: string | null;
  errors: FieldError[];
  replayed_event_id: string | null;
  replayed_at: string | null;
}

export interface QuarantinedEventDetail extends QuarantinedEvent {
  event: unknown;
}

/** How two copies of an event compare an image: its bytes by digest, and the data URL prefix as sent. */
export interface ImageDigest {
  sha256: string;
  byte_size: number;
  data_url_prefix: string | null;
}

export type HookType = 'stranger.registration' | 'gallery.update' | 'event.stored';

/** A later copy of a stored event (the same dedup key) with other content: kept for review, without hook. */
export interface Conflict {
  id: string;
  event_id: string;
  received_at: string;
  received_from: string | null;
  format: 'json' | 'form';
  /** Top-level and `ext_data.` field names, in name order. */
  fields: string[];
  withheld_hook: HookType | null;
}

/** A differing field; a side is absent when that copy has no such field. Images as their digest. */
export interface FieldDifference {
  field: string;
  stored?: unknown;
  copy?: unknown;
}

export interface ConflictDetail extends Conflict {
  differences: FieldDifference[];
  /** The copy as uploaded, base64 images included. */
  event: unknown;
}

export interface HookDelivery {
  subscriber: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  delivered_at: string | null;
}

export interface Hook {
  id: string;
  type: string;
  event_id: string;
  ordering_key: string;
  created_at: string;
  status: 'pending' | 'delivered' | 'dead';
  payload: { identity: { id: string; name: string; group: string; person_type: number }; device: { dev_sno: string; ep_id: string } };
  deliveries: HookDelivery[];
}

export interface Identity {
  id: string;
  group_name: string;
  identity_id: string;
  name: string;
  person_type: number;
  created_at: string;
  updated_at: string;
  face_url: string;
  face_thumbnail_url: string;
}

export interface GalleryFace {
  id: string;
  image_kind: ImageKind;
  byte_size: number;
  event_id: string | null;
  hook_id: string;
  thumbnail_url: string;
  created_at: string;
  replaced_at: string | null;
}

export type GalleryOutcome = 'registered' | 'already_registered' | 'identity_created' | 'face_replaced' | 'rejected';

export interface GalleryChange {
  hook_id: string;
  hook_type: string;
  event_id: string | null;
  group_name: string;
  identity_id: string;
  gallery_identity_id: string | null;
  outcome: GalleryOutcome;
  reason: string | null;
  face_id: string | null;
  created_at: string;
}

export interface IdentityDetail extends Identity {
  faces: GalleryFace[];
  history: GalleryChange[];
}

export type RegistrationOutcome = 'registered' | 'already_registered' | 'rejected' | 'pending';

export interface Registration {
  event: EventItem;
  outcome: RegistrationOutcome;
  reason: string | null;
  gallery_identity_id: string | null;
  handled_at: string | null;
}

export interface GallerySummary {
  outcomes: Record<GalleryOutcome, number>;
}

export interface SessionInfo {
  via: 'session' | 'bearer';
  key_id: string;
  expires_at: string | null;
}

/** An error answer of the service: `{status, message, errors}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

/** Called when the service answers 401: the session has ended. */
let onSignedOut: () => void = () => undefined;
export function whenSignedOut(listener: () => void): void {
  onSignedOut = listener;
}

export type Query = Record<string, string | number | boolean | undefined | null | (string | number)[]>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * One call of the admin API. Requests that change something carry the console's header, which a
 * cross-site form cannot send; the service refuses them with the cookie alone.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-SE3-Console'] = '1';
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: init.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = body as { message?: string; errors?: FieldError[] } | undefined;
    if (response.status === 401 && path !== '/api/session') onSignedOut();
    throw new ApiError(response.status, error?.message ?? response.statusText, error?.errors ?? []);
  }
  return body as T;
}

export const thumbnail = (url: string | null | undefined, size: 96 | 192 | 384) => (url ? `${url}?size=${size}` : null);

/** Which image shows an event's face: the crop, else the registered face, else the scene. */
export function faceKindOf(item: Pick<EventItem, 'images'>): ImageKind | undefined {
  return (['recognize_face', 'reg_pic', 'spot_pic'] as ImageKind[]).find((kind) => item.images[kind]?.url);
}

export function faceOf(item: Pick<EventItem, 'images'>): EventImage | undefined {
  const kind = faceKindOf(item);
  return kind ? item.images[kind] : undefined;
}

export interface BatchThumbnail {
  event_id: string;
  kind: ImageKind;
  content_type: string;
  data_base64: string;
}

/**
 * The face thumbnails of a page of events, as data URLs by event id, in one request (a page of
 * fifty faces would otherwise be fifty). On failure the cards load their thumbnails one by one.
 */
export async function faceThumbnails(items: EventItem[], size: 96 | 192 | 384, signal?: AbortSignal): Promise<Record<string, string>> {
  const images = items.flatMap((item) => {
    const kind = faceKindOf(item);
    return kind ? [`${item.id}:${kind}`] : [];
  });
  if (images.length === 0) return {};
  try {
    const batch = await api<{ items: BatchThumbnail[] }>(withQuery('/api/thumbnails', { images: images.join(','), size }), { signal });
    return Object.fromEntries(
      batch.items.map((thumbnail) => [thumbnail.event_id, `data:${thumbnail.content_type};base64,${thumbnail.data_base64}`]),
    );
  } catch (error) {
    if ((error as Error).name === 'AbortError' || (error instanceof ApiError && error.status === 401)) throw error;
    return {};
  }
}
