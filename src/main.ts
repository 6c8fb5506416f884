import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { networkInterfaces } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { loadSettingsOrExit, withoutCredentials } from './config/settings';
import { startEmbeddedDatabaseIfNeeded } from './database/embedded-postgres';
import { HISTORY_EVENT_PATH } from './events/history-event.controller';
import { createRootLogger } from './logging/root-logger';

async function bootstrap(): Promise<void> {
  const settings = loadSettingsOrExit();
  const log = createRootLogger(settings.log, settings.server.nodeEnv);
  process.on('uncaughtException', (error) => exitOnFatal(log, 'uncaught exception', error));
  process.on('unhandledRejection', (reason) => exitOnFatal(log, 'unhandled rejection', reason));

  const embedded = await startEmbeddedDatabaseIfNeeded(settings.database, settings.server.dataDir, log);
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(settings, log), {
      bodyParser: false,
      bufferLogs: true,
    });
    configureApp(app, settings);
    await app.listen(settings.server.port, settings.server.host);
  } catch (error) {
    log.fatal({ err: error }, 'could not start');
    await embedded?.stop();
    process.exit(1);
  }

  const port = (app.getHttpServer().address() as { port: number }).port;
  const extraPaths = settings.intake.paths.length > 0 ? ` (also at ${settings.intake.paths.join(', ')})` : '';
  const tokenNote = settings.intake.tokens.length > 0 ? ', followed by /<INGEST_TOKEN>' : '';
  log.info(`ready in ${Math.round(performance.now())} ms, listening on ${settings.server.host}:${port}`);
  log.info(`box upload URL: http://${lanAddress(settings.server.host)}:${port}${HISTORY_EVENT_PATH}${tokenNote}${extraPaths}`);
  log.info(`console: http://${lanAddress(settings.server.host)}:${port}/console/ (sign in with an admin API key)`);
  log.info(embedded ? `data: ${embedded.describe()}` : `data: PostgreSQL at ${withoutCredentials(settings.database.url!)}`);

  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    log.info(`${signal} received: finishing the requests in flight, then stopping`);
    // A shutdown that cannot finish (a database that does not answer) must not hang forever.
    setTimeout(() => exitOnFatal(log, 'shutdown timed out', new Error('forced exit')), settings.server.shutdownTimeoutMs + 10_000).unref();
    await app.close();
    await embedded?.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
}

function exitOnFatal(log: Logger, what: string, error: unknown): never {
  log.fatal({ err: error }, what);
  process.exit(1);
}

/** The address a box on the local network would use to reach this machine. */
function lanAddress(host: string): string {
  if (host && host !== '0.0.0.0' && host !== '::') return host;
  const addresses = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []);
  return addresses.find((entry) => entry.family === 'IPv4' && !entry.internal)?.address ?? 'localhost';
}

void bootstrap();
