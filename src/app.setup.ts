import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { setupOpenApi } from './admin/openapi';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { trustedProxies } from './common/client-address';
import { requestValidationPipe } from './common/validation-errors';
import type { Settings } from './config/settings';
import { serveConsole } from './console/console-static';
import { ingestGate } from './events/ingest-gate';
import { applyServerLimits } from './intake/http-server-limits';
import { closeUnreadBodies } from './intake/unread-bodies';
import { HttpDrainService } from './lifecycle/http-drain.service';
import { httpLogger } from './logging/http-logger';
import { ROOT_LOGGER } from './logging/logging.module';
import { MetricsService } from './metrics/metrics.service';

/**
 * The HTTP server's deadlines and the pipeline in front of the controllers, in order. Shared by
 * main.ts and the tests, so that what is tested is what runs. The app must be created with
 * `bodyParser: false`: no body is read here, only by the routes that take one, after their
 * checks (`@UploadIntake()`, `@AdminJsonBody()`).
 */
export function configureApp(app: NestExpressApplication, settings: Settings): void {
  const uploads = ingestGate(settings.intake, app.get(MetricsService));
  applyServerLimits(app.getHttpServer(), settings.server, settings.intake);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', trustedProxies(settings.server.trustedProxies));
  // No hash of every JSON answer: the routes that serve cacheable bytes set their own ETag.
  app.set('etag', false);
  app.use(closeUnreadBodies);
  app.use(app.get(HttpDrainService).middleware);
  app.use(uploads.rewrite);
  app.use(httpLogger(app.get(ROOT_LOGGER)));
  app.use(helmet());
  if (settings.server.corsOrigins.length > 0) app.enableCors({ origin: settings.server.corsOrigins });
  serveConsole(app);
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(requestValidationPipe());
  app.use(uploads.check);
  setupOpenApi(app);
}
