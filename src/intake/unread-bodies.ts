import type { NextFunction, Request, Response } from 'express';

/**
 * Only the routes that take a body read it (`@UploadIntake()`, `@AdminJsonBody()`); any other
 * body is left unread, and so is the rest of a body refused part way (401, 403, 404, 408, 413,
 * 415, or an answer that did not need it). Node.js would then read and discard that rest to
 * keep the connection (megabytes, minutes): instead, the answer to a request whose body has not
 * fully arrived says `Connection: close`, and the connection closes once it is sent.
 */
export function closeUnreadBodies(req: Request, res: Response, next: NextFunction): void {
  if (declaresBody(req)) {
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
      if (!req.complete) this.setHeader('Connection', 'close');
      return writeHead.apply(this, args);
    } as Response['writeHead'];
  }
  next();
}

function declaresBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
}
