import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../common/json';
import { DEFAULT_PERSON_TYPE } from './dto/history-event.dto';
import { imagesOf, ParsedHistoryEvent } from './history-event.parser';
import { HookEntity, HookType } from './entities/hook.entity';

const HOOK_OF_WANT_ACTION: Record<string, HookType | undefined> = {
  '1001': 'stranger.registration',
  '1002': 'gallery.update',
};

/** The hook a want_action asks for: 1001 a registration, 1002 a face update, 0 none. */
export function hookTypeOf(wantAction: string): HookType | null {
  return HOOK_OF_WANT_ACTION[wantAction] ?? null;
}

export interface HookOptions {
  /** Also publish `event.stored` for every stored event (HOOK_EVENT_STORED). */
  eventStored: boolean;
}

/**
 * The hooks a newly stored event causes: `stranger.registration` for want_action 1001,
 * `gallery.update` for 1002, and `event.stored` when enabled. Their payload is small: ids,
 * times, identity, device, the FIQA verdict and which images exist, never the images.
 */
export function toHookEntities(parsed: ParsedHistoryEvent, receivedAt: Date, options: HookOptions): HookEntity[] {
  const { dto } = parsed;
  const types = [HOOK_OF_WANT_ACTION[dto.want_action], options.eventStored ? 'event.stored' : undefined];
  const payload: JsonObject = {
    event: {
      timestamp: dto.timestamp,
      time: new Date(dto.timestamp).toISOString(),
      score: dto.score,
      want_action: dto.want_action,
    },
    identity: {
      id: dto.identity_id,
      name: dto.identity_name,
      group: dto.group_name,
      person_type: dto.ext_data.person_type ?? DEFAULT_PERSON_TYPE,
    },
    device: {
      dev_sno: dto.ext_data.dev_sno,
      ep_id: dto.ext_data.ep_id,
      device_ip: dto.ext_data.device_ip,
      device_type: dto.ext_data.device_type,
    },
    fiqa: {
      result: dto.ext_data.box_fiqa_info.fiqa_result ?? null,
      fails: dto.ext_data.box_fiqa_info.fails ?? [],
    },
    images: imagesOf(dto)
      .filter(([, image]) => image.bytes.length > 0)
      .map(([kind]) => kind),
  };
  return types
    .filter((type): type is HookType => type !== undefined)
    .map((type) => {
      const hook = new HookEntity();
      hook.id = randomUUID();
      hook.type = type;
      hook.orderingKey = dto.identity_id;
      hook.payload = payload;
      hook.createdAt = receivedAt;
      hook.fannedOut = false;
      return hook;
    });
}
