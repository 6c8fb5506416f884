import { spawnSync } from 'node:child_process';
import { createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** The RabbitMQ of the development and CI machines, or TEST_AMQP_URL. */
export const TEST_AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * Whether a broker answers at TEST_AMQP_URL, found out synchronously (in a child process) so
 * that a test file can choose between `describe` and `describe.skip` when it loads.
 */
export function brokerAnswers(): boolean {
  const { hostname, port } = new URL(TEST_AMQP_URL);
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `require('net').connect(${Number(port) || 5672}, ${JSON.stringify(hostname)})
         .on('connect', () => process.exit(0)).on('error', () => process.exit(1))`,
    ],
    { timeout: 3_000 },
  );
  return probe.status === 0;
}

/**
 * A TCP proxy in front of the broker: `cut()` drops every connection through it, as a broker
 * restart does, and the proxy keeps accepting new ones.
 */
export class BrokerProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  async listen(): Promise<number> {
    const target = new URL(TEST_AMQP_URL);
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(Number(target.port) || 5672, target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** The broker URL through the proxy, with the broker's credentials. */
  url(): string {
    const url = new URL(TEST_AMQP_URL);
    url.host = `127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return url.toString();
  }

  cut(): number {
    const count = this.sockets.size;
    for (const socket of this.sockets) socket.destroy();
    return count;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
