import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServerSettings } from '../config/server.settings';

/**
 * Graceful shutdown of the HTTP side, before anything else closes: stop accepting connections,
 * close idle keep-alive ones, let the requests in flight finish (each acknowledged event is
 * committed before its answer), and answer them with `Connection: close`. Only then do the
 * other modules stop (the hook dispatcher, then the database pool).
 */
@Injectable()
export class HttpDrainService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private inFlight = 0;
  private draining = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly settings: ServerSettings,
  ) {}

  /** Counts requests in flight; registered first in `configureApp`. */
  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    this.inFlight++;
    if (this.draining) res.setHeader('Connection', 'close');
    res.once('close', () => this.inFlight--);
    next();
  };

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    this.draining = true;
    const closed = new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
    server.closeIdleConnections();
    const deadline = Date.now() + this.settings.shutdownTimeoutMs;
    while (this.inFlight > 0 && Date.now() < deadline) {
      await sleep(20);
      server.closeIdleConnections();
    }
    if (this.inFlight > 0) {
      this.logger.warn(`${this.inFlight} requests still in flight after SHUTDOWN_TIMEOUT_MS: closing their connections`);
      server.closeAllConnections();
    }
    await closed;
    this.logger.log('HTTP server closed: no request in flight');
  }
}
