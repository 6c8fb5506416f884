import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { HookMessage } from '../hook-message';
import { HookSubscriber, untilAborted } from './hook-subscriber';

export const GALLERY_SUBSCRIBER = 'gallery';

/**
 * The platform's own face gallery, in this process: the hook becomes a typed internal event
 * (`@OnEvent('stranger.registration')`, `@OnEvent('gallery.update')`), and the delivery is done
 * when every handler has succeeded. Handlers must be idempotent per hook id.
 */
export class GallerySubscriber implements HookSubscriber {
  readonly name = GALLERY_SUBSCRIBER;
  readonly types = ['stranger.registration', 'gallery.update'] as const;

  constructor(private readonly events: EventEmitter2) {}

  async deliver(message: HookMessage, _body: string, signal: AbortSignal): Promise<void> {
    await untilAborted(this.events.emitAsync(message.type, message), signal, 'the gallery handler');
  }
}
