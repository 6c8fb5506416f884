import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { setupOpenApi } from './admin/openapi';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { rejectDeepBodies } from './common/json-depth';
import { requestValidationPipe } from './common/validation-errors';
import { EnvironmentVariables } from './config/environment';
import { HISTORY_EVENT_PATH } from './events/history-event.controller';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * The HTTP pipeline in front of the controllers, in order. Shared by main.ts and the tests, so
 * that what is tested is what runs. The app must be created with `bodyParser: false`.
 */
export function configureApp(app: NestExpressApplication, settings: EnvironmentVariables): void {
  app.disable('x-powered-by');
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(requestValidationPipe());
  app.use(ingestPathAliases(settings.INGEST_PATHS));
  app.useBodyParser('json', { limit: settings.BODY_LIMIT, type: JSON_TYPES });
  app.useBodyParser('urlencoded', { limit: settings.BODY_LIMIT, extended: false, parameterLimit: 1000 });
  app.use(rejectDeepBodies(settings.JSON_MAX_DEPTH));
  setupOpenApi(app);
}

const normalisePath = (path: string) => path.replace(/\/+$/, '').toLowerCase() || '/';

/** Serves the upload at the extra paths of INGEST_PATHS (as Express routes do: any case, trailing slash). */
function ingestPathAliases(paths: string[]) {
  const aliases = new Set(paths.map(normalisePath));
  aliases.delete(normalisePath(HISTORY_EVENT_PATH));
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.method === 'POST' && aliases.has(normalisePath(req.path))) {
      req.url = HISTORY_EVENT_PATH + req.url.slice(req.path.length);
    }
    next();
  };
}
