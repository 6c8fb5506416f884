import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import pinoHttp from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/** What a route adds to its request's log line: the box, the outcome. */
export interface RequestLogContext {
  dev_sno?: string;
  outcome?: Record<string, unknown>;
}

const LOG_CONTEXT = Symbol('requestLogContext');

export function addToRequestLog(req: Request, context: RequestLogContext): void {
  const holder = req as Request & { [LOG_CONTEXT]?: RequestLogContext };
  holder[LOG_CONTEXT] = { ...holder[LOG_CONTEXT], ...context };
}

/**
 * One line per request: request id (X-Request-Id, kept when the client sends a sane one,
 * echoed back), method, the route, status, duration, and what the route added (the box's
 * dev_sno, the outcome). Never headers, bodies or query strings; the path is logged after the
 * ingest gate has taken the token out of it. Probes and scrapes log at debug only.
 */
export function httpLogger(logger: Logger) {
  return pinoHttp<Request, Response>({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // The raw request, not pino's copy: the copy takes `originalUrl`, which still holds a token.
    wrapSerializers: false,
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customProps: (req) => ({
      route: routePath(req),
      ...(req as Request & { [LOG_CONTEXT]?: RequestLogContext })[LOG_CONTEXT],
    }),
    customLogLevel: (req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return QUIET_PATHS.has(req.url ?? '') ? 'debug' : 'info';
    },
    customSuccessMessage: (req, res, responseTime) =>
      `${req.method} ${routePath(req) ?? req.url} ${res.statusCode} in ${Math.round(responseTime)} ms`,
    customErrorMessage: (req, res) => `${req.method} ${routePath(req) ?? req.url} ${res.statusCode}`,
  });
}

/** The matched route's pattern (`/api/events/:id`), set by Express once routed (typed `any` there); undefined before. */
function routePath(req: { route?: unknown }): string | undefined {
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? route.path : undefined;
}
