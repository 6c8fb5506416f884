import { Logger } from '@nestjs/common';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { HOOK_TYPES } from '../entities/hook.entity';
import type { HookMessage } from '../hook-message';
import { DeliveryError, HookSubscriber, untilAborted } from './hook-subscriber';

/** The broker and exchange as a subscriber name: without user or password. */
export function amqpSubscriberName(url: string, exchange: string): string {
  const parsed = new URL(url);
  // The vhost as AMQP URIs write it: the default vhost "/" is %2F.
  const vhost = parsed.pathname.length > 1 ? parsed.pathname.slice(1) : '%2F';
  return `amqp:${parsed.hostname}:${parsed.port || (parsed.protocol === 'amqps:' ? 5671 : 5672)}/${vhost}/${exchange}`;
}

interface Connected {
  connection: ChannelModel;
  channel: ConfirmChannel;
}

/**
 * Publishes each hook to a durable topic exchange, routing key = hook type, as a persistent
 * message whose `messageId` is the hook id. A hook counts as delivered only when the broker
 * confirms it (publisher confirms). The connection is made on first use and made again on the
 * next attempt after it is lost (a broker restart): the failed attempt is retried by schedule.
 */
export class AmqpSubscriber implements HookSubscriber {
  readonly name: string;
  readonly types = HOOK_TYPES;
  private readonly logger = new Logger('AmqpSubscriber');
  private connected?: Promise<Connected>;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly exchange: string,
    private readonly timeoutMs: number,
  ) {
    this.name = amqpSubscriberName(url, exchange);
  }

  async deliver(message: HookMessage, body: string, signal: AbortSignal): Promise<void> {
    const { channel } = await untilAborted(this.connect(), signal, 'connecting to the broker');
    const confirmed = new Promise<void>((resolve, reject) => {
      channel.publish(
        this.exchange,
        message.type,
        Buffer.from(body),
        {
          persistent: true,
          contentType: 'application/json',
          messageId: message.id,
          type: message.type,
          timestamp: Math.floor(Date.now() / 1000),
          appId: 'se3-event-server',
        },
        (error: unknown) =>
          error ? reject(new DeliveryError('the broker did not confirm the message (nack or channel closed)')) : resolve(),
      );
    });
    await untilAborted(confirmed, signal, 'the broker confirm');
  }

  async close(): Promise<void> {
    this.closed = true;
    const connected = await this.connected?.catch(() => undefined);
    this.connected = undefined;
    await connected?.connection.close().catch(() => undefined);
  }

  private connect(): Promise<Connected> {
    if (this.closed) return Promise.reject(new DeliveryError('the AMQP subscriber is closed'));
    this.connected ??= this.open().catch((error: unknown) => {
      this.connected = undefined;
      throw new DeliveryError(`cannot reach the broker: ${describeAmqpError(error, this.url)}`);
    });
    return this.connected;
  }

  private async open(): Promise<Connected> {
    const connection = await connect(this.url, { timeout: this.timeoutMs });
    const forget = (reason: string) => {
      if (this.connected === current) this.connected = undefined;
      if (!this.closed) this.logger.warn(`${this.name}: ${reason}; reconnecting on the next delivery`);
    };
    let current: Promise<Connected> | undefined;
    connection.on('error', (error: unknown) => forget(`connection error: ${describeAmqpError(error, this.url)}`));
    connection.on('close', () => forget('connection closed'));
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: unknown) => {
        forget(`channel error: ${describeAmqpError(error, this.url)}`);
        void connection.close().catch(() => undefined);
      });
      await channel.assertExchange(this.exchange, 'topic', { durable: true });
      const result = { connection, channel };
      current = this.connected;
      return result;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }
}

/** An amqplib error as text, with the URL's password taken out should the message quote it. */
function describeAmqpError(error: unknown, url: string): string {
  const text = error instanceof Error ? error.message : String(error);
  const password = new URL(url).password;
  return password ? text.split(password).join('***').split(decodeURIComponent(password)).join('***') : text;
}
