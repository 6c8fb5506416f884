import { Matches, ValidateIf } from 'class-validator';
import { BooleanSetting, DurationListSetting, DurationSetting, ListSetting, Setting, TextSetting } from './setting.decorators';

/** A Standard Webhooks secret: `whsec_` and the base64 of 24 to 64 random bytes. */
export const WEBHOOK_SECRET_FORMAT = /^whsec_(?:[A-Za-z0-9+/]{4}){8,21}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const WEBHOOK_SECRET_MESSAGE =
  "must be set when HOOK_WEBHOOK_URLS is, as whsec_ followed by the base64 of 24 to 64 random bytes (make one with: node -e \"console.log('whsec_' + require('crypto').randomBytes(32).toString('base64'))\")";

/** Hooks: want_action 1001/1002 (and event.stored), the dispatcher and its subscribers. */
export class HookSettings {
  /** Publish an `event.stored` hook for every stored event, besides the want_action hooks. */
  @BooleanSetting('HOOK_EVENT_STORED')
  eventStored = false;

  /** Run the dispatcher in this instance (false: this instance only writes the outbox). */
  @BooleanSetting('HOOK_DISPATCHER_ENABLED')
  dispatcherEnabled = true;

  /** Webhook receivers, comma-separated: each gets every hook as a signed JSON POST. */
  @ListSetting('HOOK_WEBHOOK_URLS', {
    pattern: /^https?:\/\/[^\s,]+$/,
    message: 'must be a comma-separated list of http:// or https:// URLs',
  })
  webhookUrls: string[] = [];

  /** Signs webhook deliveries (Standard Webhooks); required with HOOK_WEBHOOK_URLS. */
  @Setting('HOOK_WEBHOOK_SECRET', { secret: true })
  @ValidateIf((settings: HookSettings) => settings.webhookUrls?.length > 0 || settings.webhookSecret !== undefined)
  @Matches(WEBHOOK_SECRET_FORMAT, { message: WEBHOOK_SECRET_MESSAGE })
  webhookSecret?: string;

  /** RabbitMQ (AMQP 0-9-1) broker to publish hooks to; empty: no AMQP subscriber. */
  @TextSetting('HOOK_AMQP_URL', { optional: true, pattern: /^amqps?:\/\/\S+$/, message: 'must be an amqp:// or amqps:// URL' })
  amqpUrl?: string;

  /** Topic exchange the hooks are published to, with the hook type as routing key. */
  @TextSetting('HOOK_AMQP_EXCHANGE', { pattern: /^[A-Za-z0-9._:-]{1,255}$/, message: 'must be an exchange name: letters, digits, . _ : -' })
  amqpExchange = 'se3.hooks';

  /** How long one delivery attempt may take: the webhook's answer, the broker's confirm, the gallery's handler. */
  @DurationSetting('HOOK_DELIVERY_TIMEOUT', { min: 100, max: 600_000, message: 'must be a duration such as 10s or 500ms' })
  deliveryTimeoutMs = 10_000;

  /** Waits between failed attempts; after the last one the delivery is dead. About a day in all by default. */
  @DurationListSetting('HOOK_RETRY_SCHEDULE', { message: 'must be a comma-separated list of durations such as 10s,1m,1h' })
  retryScheduleMs: number[] = [10, 30, 60, 300, 900, 3_600, 10_800, 21_600, 43_200].map((s) => s * 1_000);

  /** How often an idle dispatcher looks for work (new hooks also wake it at once). */
  @DurationSetting('HOOK_POLL_INTERVAL', { min: 10, message: 'must be a duration such as 1s or 250ms' })
  pollIntervalMs = 1_000;

  /** Put the images in the message as base64 instead of only linking to them. */
  @BooleanSetting('HOOK_INLINE_IMAGES')
  inlineImages = false;

  /** Prefix of the image links in messages, e.g. https://se3.example.com; empty: links are paths. */
  @TextSetting('HOOK_LINK_BASE_URL', {
    optional: true,
    pattern: /^https?:\/\/[^\s?#]+[^\s?#/]$/,
    message: 'must be an http:// or https:// URL without a trailing slash',
  })
  linkBaseUrl?: string;
}
