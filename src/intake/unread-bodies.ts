import type { NextFunction, Request, Response } from 'express';

/** Refusals of a request with a body: its connection is not kept, whatever was read of it. */
const REFUSALS = new Set([401, 403, 404, 405, 408, 411, 413, 415, 429]);

/**
 * Only the routes that take a body read it (`@UploadIntake()`, `@AdminJsonBody()`); any other
 * body is left unread, and so is the rest of a body refused part way. Node.js would then read
 * and discard that rest to keep the connection (megabytes, minutes): instead, the answer to a
 * request whose body has not fully arrived, or that refuses it, says `Connection: close`, and
 * the connection closes once the answer is sent.
 */
export function closeUnreadBodies(req: Request, res: Response, next: NextFunction): void {
  if (declaresBody(req)) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to the response as `this` below
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
      if (!req.complete || REFUSALS.has(Number(args[0]))) this.setHeader('Connection', 'close');
      return writeHead.apply(this, args);
    } as Response['writeHead'];
  }
  next();
}

function declaresBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
}
