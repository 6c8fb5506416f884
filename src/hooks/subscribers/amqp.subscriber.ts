import { Logger } from '@nestjs/common';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { HOOK_TYPES } from '../../events/entities/hook.entity';
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
  private current?: Connected;
  private connecting?: Promise<Connected>;
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
    await this.connecting?.catch(() => undefined);
    const current = this.current;
    this.current = undefined;
    await current?.connection.close().catch(() => undefined);
  }

  /** The open connection and channel, or new ones (one attempt at a time). */
  private connect(): Promise<Connected> {
    if (this.closed) return Promise.reject(new DeliveryError('the AMQP subscriber is closed'));
    if (this.current) return Promise.resolve(this.current);
    this.connecting ??= this.open()
      .catch((error: unknown) => {
        throw new DeliveryError(`cannot reach the broker: ${describeAmqpError(error, this.url)}`);
      })
      .finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<Connected> {
    const connection = await connect(this.url, { timeout: this.timeoutMs });
    const connected: Connected = { connection, channel: undefined as unknown as ConfirmChannel };
    const forget = (reason: string) => {
      if (this.current !== connected) return;
      this.current = undefined;
      if (!this.closed) this.logger.warn(`${this.name}: ${reason}; reconnecting at the next delivery`);
    };
    connection.on('error', (error: unknown) => forget(`connection error: ${describeAmqpError(error, this.url)}`));
    connection.on('close', () => forget('connection closed'));
    try {
      connected.channel = await connection.createConfirmChannel();
      connected.channel.on('error', (error: unknown) => {
        forget(`channel error: ${describeAmqpError(error, this.url)}`);
        void connection.close().catch(() => undefined);
      });
      connected.channel.on('close', () => forget('channel closed'));
      await connected.channel.assertExchange(this.exchange, 'topic', { durable: true });
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
    this.current = connected;
    return connected;
  }
}

/** An amqplib error as text, with the URL's password taken out should the message quote it. */
function describeAmqpError(error: unknown, url: string): string {
  const text = error instanceof Error ? error.message : String(error);
  const password = new URL(url).password;
  return password ? text.split(password).join('***').split(decodeURIComponent(password)).join('***') : text;
}
