import { HOOK_TYPES } from '../../events/entities/hook.entity';
import type { HookMessage } from '../hook-message';
import { DeliveryError, HookSubscriber } from './hook-subscriber';
import { signWebhook, webhookKey } from './webhook-signature';

/** The URL as a subscriber name: without user, password, query or fragment, which may hold secrets. */
export function webhookSubscriberName(url: string): string {
  const parsed = new URL(url);
  return `webhook:${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/**
 * POSTs each hook as JSON, signed as Standard Webhooks do (`webhook-id` is the hook id, stable
 * across attempts). A 2xx answer within the timeout is a delivery; anything else, redirects
 * included, is a failed attempt.
 */
export class WebhookSubscriber implements HookSubscriber {
  readonly name: string;
  readonly types = HOOK_TYPES;
  private readonly key: Buffer;
  private readonly url: string;
  /** Basic credentials given in the URL (`https://user:password@host/...`), sent as a header: fetch refuses them in the URL. */
  private readonly authorization?: string;

  constructor(url: string, secret: string) {
    this.name = webhookSubscriberName(url);
    this.key = webhookKey(secret);
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
      this.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      parsed.username = '';
      parsed.password = '';
    }
    this.url = parsed.toString();
  }

  async deliver(message: HookMessage, body: string, signal: AbortSignal): Promise<void> {
    const timestamp = Math.floor(Date.now() / 1000);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'se3-event-server',
          'webhook-id': message.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(this.key, message.id, timestamp, body),
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        body,
        redirect: 'manual',
        signal,
      });
      // Read the answer to the end (under the same deadline) so that the connection can be reused.
      await response.arrayBuffer();
    } catch (error) {
      throw new DeliveryError(describeRequestError(error, signal));
    }
    if (response.status < 200 || response.status > 299) {
      throw new DeliveryError(`the receiver answered HTTP ${response.status}`);
    }
  }
}

function describeRequestError(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'no answer within the delivery timeout';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return code ? `the request failed (${code})` : 'the request failed';
}
