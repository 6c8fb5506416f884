import type { ImageKind } from '../events/dto/history-event.dto';
import { imageUrl } from '../events/image-url';
import type { HookType } from '../events/entities/hook.entity';

/** What `toHookEntities` stores in `hook.payload`. */
export interface HookPayload {
  event: { timestamp: number; time: string; score: number; want_action: string };
  identity: { id: string; name: string; group: string; person_type: number };
  device: { dev_sno: string; ep_id: string; device_ip: string; device_type: string };
  fiqa: { result: boolean | null; fails: string[] };
  /** Kinds of the non-empty images the event has. */
  images: ImageKind[];
}

export interface HookImageLink {
  kind: ImageKind;
  /** `/api/events/{event_id}/images/{kind}` (admin API key required), prefixed with HOOK_LINK_BASE_URL when set. */
  url: string;
  content_type: string | null;
  byte_size: number;
  /** The bytes as base64, only with HOOK_INLINE_IMAGES=true. */
  data_base64?: string;
}

/**
 * What every subscriber receives, the same for all: the webhook's JSON body, the AMQP message
 * body, the in-process event's payload. `id` is stable across attempts and subscribers, so that
 * a consumer can drop repeats.
 */
export interface HookMessage extends Omit<HookPayload, 'images'> {
  id: string;
  type: HookType;
  created_at: string;
  event_id: string;
  images: HookImageLink[];
}

/** The image rows a message describes (data only when inlined). */
export interface HookImageRow {
  kind: ImageKind;
  content_type: string | null;
  byte_size: number;
  data?: Buffer;
}

export interface HookRow {
  id: string;
  type: HookType;
  eventId: string;
  createdAt: Date;
  payload: HookPayload;
}

export function toHookMessage(hook: HookRow, images: HookImageRow[], baseUrl: string): HookMessage {
  const { images: kinds, ...payload } = hook.payload;
  const byKind = new Map(images.map((image) => [image.kind, image]));
  return {
    id: hook.id,
    type: hook.type,
    created_at: hook.createdAt.toISOString(),
    event_id: hook.eventId,
    ...payload,
    images: kinds.flatMap((kind) => {
      const image = byKind.get(kind);
      if (!image) return [];
      const link: HookImageLink = {
        kind,
        url: imageUrl(hook.eventId, kind, baseUrl),
        content_type: image.content_type,
        byte_size: image.byte_size,
      };
      if (image.data) link.data_base64 = image.data.toString('base64');
      return [link];
    }),
  };
}
