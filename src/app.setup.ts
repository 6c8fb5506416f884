import type { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { setupOpenApi } from './admin/openapi';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { trustedProxies } from './common/client-address';
import { serveConsole } from './console/console-static';
import { rejectDeepBodies } from './common/json-depth';
import { requestValidationPipe } from './common/validation-errors';
import { EnvironmentVariables } from './config/environment';
import { ingestGate } from './events/ingest-gate';
import { multipartUploads } from './events/multipart-uploads';
import { keepUndecodableBody } from './events/undecodable-body';
import { HttpDrainService } from './lifecycle/http-drain.service';
import { httpLogger } from './logging/http-logger';
import { ROOT_LOGGER } from './logging/logging.module';
import { MetricsService } from './metrics/metrics.service';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * The HTTP pipeline in front of the controllers, in order. Shared by main.ts and the tests, so
 * that what is tested is what runs. The app must be created with `bodyParser: false`.
 */
export function configureApp(app: NestExpressApplication, settings: EnvironmentVariables): void {
  const uploads = ingestGate(settings, app.get(MetricsService));
  app.useLogger(app.get(Logger));
  app.set('trust proxy', trustedProxies(settings.TRUSTED_PROXIES));
  // No hash of every JSON answer: the routes that serve cacheable bytes set their own ETag.
  app.set('etag', false);
  app.use(app.get(HttpDrainService).middleware);
  app.use(uploads.rewrite);
  app.use(httpLogger(app.get(ROOT_LOGGER)));
  app.use(helmet());
  if (settings.CORS_ORIGINS.length > 0) app.enableCors({ origin: settings.CORS_ORIGINS });
  serveConsole(app);
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(requestValidationPipe());
  app.use(uploads.check);
  // express.json itself: Nest's useBodyParser reserves `verify` (for its rawBody option).
  app.use(json({ limit: settings.BODY_LIMIT, type: JSON_TYPES, verify: keepUndecodableBody }));
  app.useBodyParser('urlencoded', { limit: settings.BODY_LIMIT, extended: false, parameterLimit: 1000 });
  app.use(multipartUploads(settings));
  app.use(rejectDeepBodies(settings.JSON_MAX_DEPTH));
  setupOpenApi(app);
}
