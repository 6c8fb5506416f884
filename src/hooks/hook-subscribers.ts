import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { HookSettings } from '../config/hook.settings';
import { AmqpSubscriber } from './subscribers/amqp.subscriber';
import { GallerySubscriber } from './subscribers/gallery.subscriber';
import type { HookSubscriber } from './subscribers/hook-subscriber';
import { WebhookSubscriber } from './subscribers/webhook.subscriber';

/** Injection token of the configured `HookSubscriber[]`. */
export const HOOK_SUBSCRIBERS = Symbol('HOOK_SUBSCRIBERS');

/** The in-process gallery (always), one webhook per HOOK_WEBHOOK_URLS entry, and AMQP when HOOK_AMQP_URL is set. */
export function createHookSubscribers(settings: HookSettings, events: EventEmitter2): HookSubscriber[] {
  const subscribers: HookSubscriber[] = [new GallerySubscriber(events)];
  for (const url of settings.webhookUrls) subscribers.push(new WebhookSubscriber(url, settings.webhookSecret!));
  if (settings.amqpUrl) subscribers.push(new AmqpSubscriber(settings.amqpUrl, settings.amqpExchange, settings.deliveryTimeoutMs));
  const names = subscribers.map((subscriber) => subscriber.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) {
    throw new Error(
      `two hook subscribers have the name ${repeated}: HOOK_WEBHOOK_URLS entries must differ in more than credentials or query`,
    );
  }
  return subscribers;
}
