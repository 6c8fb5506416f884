import type { Server } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

/**
 * A test app's HTTP server listening on 127.0.0.1, and how many bytes it read from its clients
 * (the sockets' `bytesRead`, closed ones included): what the server did not read stayed in the
 * network, so a body it did not read does not count.
 */
export interface ListeningServer {
  port: number;
  bytesRead(): number;
}

export async function listenCounting(server: Server): Promise<ListeningServer> {
  let closedBytes = 0;
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => {
      closedBytes += socket.bytesRead;
      open.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, bytesRead: () => closedBytes + [...open].reduce((sum, socket) => sum + socket.bytesRead, 0) };
}

/** A hand-made HTTP client connection: what it writes is exactly what the server gets. */
export interface RawConnection {
  socket: Socket;
  /** Everything received so far, as latin1 text. */
  received(): string;
  /** Resolves once the server has closed the connection (or it broke). */
  closed: Promise<void>;
  isClosed(): boolean;
  /** Resolves with what was received once it matches `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Writes, resolving once the data is handed to the kernel or the connection is gone. */
  write(data: string | Buffer): Promise<void>;
}

/** `from`: the local address to connect from (127.0.0.2 is another client of 127.0.0.1 on Linux). */
export function openRaw(port: number, from?: string): RawConnection {
  const socket = connect({ port, host: '127.0.0.1', localAddress: from });
  let text = '';
  let isClosed = false;
  const listeners = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    for (const listener of listeners) listener();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      for (const listener of listeners) listener();
      resolve();
    }),
  );
  return {
    socket,
    received: () => text,
    closed,
    isClosed: () => isClosed,
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) {
            done();
            resolve(text);
          } else if (isClosed) {
            done();
            reject(new Error(`the connection closed before ${String(pattern)}; received: ${JSON.stringify(text.slice(0, 500))}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${String(pattern)} not received within ${timeoutMs} ms; received: ${JSON.stringify(text.slice(0, 500))}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
    write: (data) =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.write(data, () => resolve());
      }),
  };
}

/** Resolves true once `connection` is closed by the server, false if it is still open after `timeoutMs`. */
export async function closesWithin(connection: RawConnection, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const result = await Promise.race([connection.closed.then(() => true as const), timedOut]);
  clearTimeout(timer);
  return result;
}

/** The head of a request with a body, as a box's HTTP library writes it. */
export function requestHead(method: string, path: string, headers: Record<string, string | number>): string {
  const lines = Object.entries({ Host: 'localhost', ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** The status of the first answer in `text` that is not `100 Continue`. */
export function statusOf(text: string): number {
  const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]));
  return statuses.find((status) => status !== 100) ?? 0;
}

/** The headers of the first answer in `text`, names in lower case. */
export function headersOf(text: string): Record<string, string> {
  const head = text.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '').split('\r\n\r\n')[0];
  return Object.fromEntries(
    head
      .split('\r\n')
      .slice(1)
      .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
}

/** `[[],[],…]` with `count` empty arrays, gzipped: a few KB that cost seconds to parse. */
export function gzipArrayBomb(count: number): Buffer {
  return gzipSync(Buffer.from(`[${'[],'.repeat(count - 1)}[]]`), { level: 9 });
}
