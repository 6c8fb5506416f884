import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

export const CONSOLE_PATH = '/console';
/** Where `npm run build` puts the console (web/dist), from dist/console or src/console alike. */
export const CONSOLE_DIST = resolve(__dirname, '..', '..', 'web', 'dist');

/**
 * The page's own policy: helmet's default adds upgrade-insecure-requests, which would send a
 * console opened at http://<LAN address>:9528 to https for every script and image.
 */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the console (a single-page app) at /console/: hashed assets cached for a year, any
 * other path under /console/ that is not a file answered with index.html (never cached, so a
 * new build is picked up), so that the app's own routes survive a reload. Nothing outside
 * /console/ is touched: /api, /docs, uploads and /metrics keep their own answers.
 */
export function serveConsole(app: NestExpressApplication, dist = CONSOLE_DIST): void {
  const index = join(dist, 'index.html');
  app.use(CONSOLE_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.originalUrl === CONSOLE_PATH || req.originalUrl.startsWith(`${CONSOLE_PATH}?`)) {
      return res.redirect(301, `${CONSOLE_PATH}/${req.originalUrl.slice(CONSOLE_PATH.length)}`);
    }
    next();
  });
  app.useStaticAssets(dist, {
    prefix: `${CONSOLE_PATH}/`,
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders: (res: Response, path: string) => {
      res.setHeader('Cache-Control', path.includes(`${join(dist, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use(CONSOLE_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // A missing file is a 404, not the page: a browser would otherwise run HTML as a script.
    if (req.path.startsWith('/assets/') || extname(req.path) !== '') return next();
    if (!existsSync(index)) {
      res.status(503).json({ status: 503, message: 'the console is not built: run npm run build', errors: [] });
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.sendFile(index);
  });
}
