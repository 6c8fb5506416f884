import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { EnvironmentVariables } from '../config/environment';

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
 * - maxConnections: connections beyond MAX_CONNECTIONS are closed as they arrive (logged);
 * - `Expect: 100-continue` is no longer answered at once: the route answers it when it starts
 *   reading the body, after its checks, so that a refused client sends no body at all.
 */
export function applyServerLimits(server: Server, settings: EnvironmentVariables): void {
  server.headersTimeout = settings.HEADERS_TIMEOUT_MS;
  server.requestTimeout = settings.HEADERS_TIMEOUT_MS + settings.BODY_READ_TIMEOUT_MS + REQUEST_TIMEOUT_MARGIN_MS;
  server.keepAliveTimeout = settings.KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = settings.MAX_CONNECTIONS;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = CONNECTIONS_CHECKING_INTERVAL_MS;
  server.on('checkContinue', (req, res) => server.emit('request', req, res));
  const logger = new Logger('Http');
  let lastWarning = 0;
  server.on('drop', () => {
    if (Date.now() - lastWarning < DROP_WARNING_INTERVAL_MS) return;
    lastWarning = Date.now();
    logger.warn(`${settings.MAX_CONNECTIONS} connections open (MAX_CONNECTIONS): new connections are closed as they arrive`);
  });
}
