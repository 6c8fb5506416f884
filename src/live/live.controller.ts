import { Controller, Get, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Server } from 'node:http';
import { AdminApi } from '../auth/admin-api-key.guard';
import { principalOf } from '../auth/admin-principal';
import { SessionService } from '../auth/session/session.service';
import { LiveEventsService, LiveMessage } from './live-events.service';

const HEARTBEAT_MS = 15_000;
const SESSION_CHECK_MS = 30_000;
/** A client that reads slower than events come is cut off past this backlog; it reconnects and reads lists again. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

@ApiTags('live')
@AdminApi()
@Controller('api/live')
export class LiveController {
  constructor(
    private readonly live: LiveEventsService,
    private readonly sessions: SessionService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'New events as they are stored (server-sent events)',
    description:
      'A `text/event-stream`: `events` messages carry `{"items": [...]}` (items as in GET /api/events, newest first), within about 0.2 s of the commit, ' +
      'whichever instance stored them; `quarantined` carries `{"ids": [...]}`; `resync` says events may have been missed (read the lists again); ' +
      "`signed-out` ends a console session's stream (at once on the instance signed out of, within 30 s on the others). A comment line every 15 s keeps proxies from closing it.",
  })
  @ApiOkResponse({ description: 'The stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  stream(@Req() req: Request, @Res() res: Response): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 2000\n\n');

    const send = (event: string, data: unknown) => {
      if (res.writableLength > MAX_BACKLOG_BYTES) return end();
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const unsubscribe = this.live.subscribe((message: LiveMessage) => {
      const { type, ...data } = message;
      send(type, data);
    });
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    const sessionId = principalOf(req)?.sessionId;
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
      // The server stopped listening: a shutdown waits for requests in flight, and this one never ends by itself.
      if (!server.listening) return end();
      if ((ticks * 1_000) % HEARTBEAT_MS === 0) res.write(': ping\n\n');
      if (sessionId && (ticks * 1_000) % SESSION_CHECK_MS === 0) {
        void this.sessions.isActive(sessionId).then(
          (active) => (active ? undefined : signedOut()),
          () => undefined,
        );
      }
    }, 1_000);
    const signedOut = () => {
      send('signed-out', {});
      end();
    };
    const stopWatching = this.sessions.onClosed((closed) => {
      if (closed === sessionId) signedOut();
    });
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      unsubscribe();
      stopWatching();
      res.end();
    };
    res.on('close', end);
  }
}
