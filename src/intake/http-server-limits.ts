import { Logger } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { isIP, Socket } from 'node:net';
import { AddressList } from '../common/address-list';
import type { IntakeSettings } from '../config/intake.settings';
import type { ServerSettings } from '../config/server.settings';

/** How often Node.js looks for requests past headersTimeout or requestTimeout (its default, 30 s, lets idle sockets pile up). */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;
/** requestTimeout is a backstop behind the service's own deadlines, which answer first and in the error shape. */
const REQUEST_TIMEOUT_MARGIN_MS = 5_000;
const DROP_WARNING_INTERVAL_MS = 60_000;

/**
 * The deadlines of the HTTP server, set on the server Nest's Express adapter created, before it
 * listens (`connectionsCheckingInterval` is only read when it starts listening):
 * - headersTimeout: a request's headers must arrive within HEADERS_TIMEOUT_MS; this also closes
 *   connections that never send a request;
 * - requestTimeout: headers and body within HEADERS_TIMEOUT_MS + BODY_READ_TIMEOUT_MS (+ 5 s);
 * - keepAliveTimeout: an idle connection closes KEEP_ALIVE_TIMEOUT_MS after its last answer;
 * - MAX_CONNECTIONS: a connection beyond it closes the oldest connection that has no request in
 *   flight (one that never sent a request, or sits idle between keep-alive requests), so that
 *   idle sockets, however many addresses hold them, cannot keep boxes out; only when every
 *   connection has a request in flight is the new one closed (logged). A client past
 *   MAX_CONNECTIONS_PER_CLIENT (except TRUSTED_PROXIES) has its new connections closed;
 * - `Expect: 100-continue` is no longer answered at once: the route answers it when it starts
 *   reading the body, after its checks, so that a refused client sends no body at all.
 */
export function applyServerLimits(server: Server, settings: ServerSettings, intake: Pick<IntakeSettings, 'bodyReadTimeoutMs'>): void {
  server.headersTimeout = settings.headersTimeoutMs;
  server.requestTimeout = settings.headersTimeoutMs + intake.bodyReadTimeoutMs + REQUEST_TIMEOUT_MARGIN_MS;
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = CONNECTIONS_CHECKING_INTERVAL_MS;
  server.on('checkContinue', (req, res) => server.emit('request', req, res));
  const logger = new Logger('Http');
  const warnings = new Map<string, number>();
  const warn = (what: string, message: string) => {
    if (Date.now() - (warnings.get(what) ?? 0) < DROP_WARNING_INTERVAL_MS) return;
    warnings.set(what, Date.now());
    logger.warn(message);
  };
  // Per client first: a connection refused there must not close another one to make room.
  limitConnectionsPerClient(server, settings, () =>
    warn(
      'client',
      `a client has ${settings.maxConnectionsPerClient} connections open (MAX_CONNECTIONS_PER_CLIENT): its new ones are closed`,
    ),
  );
  limitConnections(server, settings.maxConnections, () =>
    warn('all', `${settings.maxConnections} connections open (MAX_CONNECTIONS), each with a request in flight: new connections are closed`),
  );
}

/**
 * At most `max` open connections. Connections without a request in flight are kept in the order
 * they became idle; a connection beyond `max` closes the oldest of them, or itself when there is
 * none.
 */
function limitConnections(server: Server, max: number, onRefused: () => void): void {
  let open = 0;
  const idle = new Set<Socket>();
  const becomeIdle = (socket: Socket) => {
    idle.delete(socket);
    if (!socket.destroyed) idle.add(socket);
  };
  server.on('connection', (socket: Socket) => {
    if (socket.destroyed) return;
    if (open >= max) {
      const oldest = idle.values().next().value;
      if (!oldest) {
        onRefused();
        socket.destroy();
        return;
      }
      idle.delete(oldest);
      oldest.destroy();
    }
    open++;
    idle.add(socket);
    socket.once('close', () => {
      open--;
      idle.delete(socket);
    });
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    idle.delete(req.socket);
    res.once('close', () => becomeIdle(req.socket));
  });
}

function limitConnectionsPerClient(server: Server, settings: ServerSettings, onRefused: () => void): void {
  const proxies = new AddressList(settings.trustedProxies);
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (proxies.includes(address)) return;
    const client = clientOf(address);
    const count = (open.get(client) ?? 0) + 1;
    if (count > settings.maxConnectionsPerClient) {
      onRefused();
      socket.destroy();
      return;
    }
    open.set(client, count);
    socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left > 0) open.set(client, left);
      else open.delete(client);
    });
  });
}

/** Who a connection is from: its IPv4 address (also when mapped into IPv6), or the /64 of an IPv6 one (one host has them all). */
export function clientOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  const bare = address.split('%')[0];
  if (isIP(bare) !== 6) return address;
  const [head, tail] = bare.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
