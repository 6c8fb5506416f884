import { ForbiddenException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AddressList } from '../common/address-list';
import { clientAddress } from '../common/client-address';
import { SecretSet } from '../common/secret-set';
import type { IntakeSettings } from '../config/intake.settings';
import { markUploadCleared } from '../intake/upload-clearance';
import { MetricsService } from '../metrics/metrics.service';
import { HISTORY_EVENT_PATH } from './history-event.controller';

export const INGEST_TOKEN_HEADER = 'x-ingest-token';

const normalise = (path: string) => path.replace(/\/+$/, '').toLowerCase() || '/';

/** An upload route: its own path, and the other paths boxes may be configured with for it. */
export interface UploadRoute {
  path: string;
  aliases: string[];
}

/**
 * The upload routes the gate serves. A new kind of upload (RealTimeEvent, DeviceStatus) is added
 * here, and its handler marked `@UploadIntake()`: it then gets the same checks and body intake.
 */
export function uploadRoutes(settings: Pick<IntakeSettings, 'paths'>): UploadRoute[] {
  return [{ path: HISTORY_EVENT_PATH, aliases: settings.paths }];
}

/** What the URL of an upload carried, taken out of it. */
interface UploadAddress {
  pathToken: string;
  queryToken: string | null;
  tooDeep: boolean;
}

const UPLOAD = Symbol('upload');
type UploadRequest = Request & { [UPLOAD]?: UploadAddress };

/**
 * In front of the upload routes (`uploadRoutes`). A box can only be given a URL, so:
 * - `rewrite` (first of all middleware, before the request logger): serves each upload at its
 *   own path and at its aliases (any case, trailing slash), each optionally followed by one
 *   more segment, the token; it rewrites the URL to the route's own path at once, without the
 *   token segment or `?token=`, so that no log line, metric or error message ever holds a token;
 * - `check` (after the request logger, so that refusals are logged): refuses clients outside
 *   INGEST_ALLOW_CIDRS (403) and, with INGEST_TOKEN set, uploads without one of the tokens
 *   (path segment, `?token=`, or the X-Ingest-Token header), compared in constant time (401);
 *   it times every upload and counts its size in the metrics. Only an upload it lets through
 *   has its body read (`@UploadIntake()`); a refused one has not one byte of it read.
 */
export function ingestGate(settings: IntakeSettings, metrics: MetricsService) {
  const bases = uploadRoutes(settings).flatMap((route) =>
    [...new Set([route.path, ...route.aliases].map(normalise))].map((base) => ({ base, path: route.path })),
  );
  const allowed = settings.allowCidrs.length > 0 ? new AddressList(settings.allowCidrs) : undefined;
  const tokens = new SecretSet(settings.tokens);

  const rewrite = (req: UploadRequest, _res: Response, next: NextFunction) => {
    const path = req.path;
    const lowered = normalise(path);
    const match = bases.find(({ base }) => lowered === base || lowered.startsWith(`${base}/`));
    if (!match) return next();
    const rest = path.replace(/\/+$/, '').slice(match.base.length).replace(/^\/+/, '');
    const query = new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1 || req.url.length));
    req[UPLOAD] = { pathToken: rest, queryToken: query.get('token'), tooDeep: rest.includes('/') };
    query.delete('token');
    req.url = match.path + (query.size > 0 ? `?${query.toString()}` : '');
    next();
  };

  const check = (req: UploadRequest, res: Response, next: NextFunction) => {
    const upload = req[UPLOAD];
    if (!upload) return next();
    if (upload.tooDeep) return next(new NotFoundException('there is no upload route at this path'));
    if (req.method !== 'POST') return next();
    measure(req, res, metrics);
    if (allowed && !allowed.includes(clientAddress(req) ?? '')) {
      return next(new ForbiddenException('uploads are not accepted from this address (INGEST_ALLOW_CIDRS)'));
    }
    if (tokens.size > 0) {
      const header = req.headers[INGEST_TOKEN_HEADER];
      const candidate = upload.pathToken || upload.queryToken || (typeof header === 'string' ? header : '');
      if (!candidate || !tokens.has(candidate)) {
        return next(new UnauthorizedException('a valid upload token is required: add it to the upload URL as its last path segment'));
      }
    }
    markUploadCleared(req);
    next();
  };

  return { rewrite, check };
}

function measure(req: Request, res: Response, metrics: MetricsService): void {
  const end = metrics.ingestDuration.startTimer();
  const size = Number(req.headers['content-length']);
  res.once('finish', () => {
    end({ status: `${Math.floor(res.statusCode / 100)}xx` });
    if (Number.isFinite(size)) metrics.ingestBodyBytes.observe(size);
  });
}
