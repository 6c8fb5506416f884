import { Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { EnvironmentVariables, LOG_LEVELS, validateEnvironment } from './config/environment';
import { EmbeddedPostgres } from './database/embedded-postgres';
import { HISTORY_EVENT_PATH } from './events/history-event.controller';

const logger = new Logger('Main');

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let settings: EnvironmentVariables;
  try {
    settings = validateEnvironment(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  Logger.overrideLogger(logLevelsUpTo(settings.LOG_LEVEL));

  const embedded = settings.DATABASE_URL ? undefined : await startEmbeddedDatabase(settings);
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(settings), {
      bodyParser: false,
      logger: logLevelsUpTo(settings.LOG_LEVEL),
    });
    configureApp(app, settings);
    await app.listen(settings.PORT, settings.HOST);
  } catch (error) {
    logger.fatal(`could not start: ${(error as Error).message}`);
    await embedded?.stop();
    process.exit(1);
  }

  const port = (app.getHttpServer().address() as { port: number }).port;
  const extraPaths = settings.INGEST_PATHS.length > 0 ? ` (also at ${settings.INGEST_PATHS.join(', ')})` : '';
  logger.log(`ready in ${Math.round(performance.now())} ms, listening on ${settings.HOST}:${port}`);
  logger.log(`box upload URL: http://${lanAddress(settings.HOST)}:${port}${HISTORY_EVENT_PATH}${extraPaths}`);
  logger.log(
    embedded
      ? `data: embedded PostgreSQL in ${embedded.clusterDir}`
      : `data: PostgreSQL at ${redactPassword(settings.DATABASE_URL!)}`,
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received, shutting down`);
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
}

async function startEmbeddedDatabase(settings: EnvironmentVariables): Promise<EmbeddedPostgres> {
  const dataDir = resolve(settings.DATA_DIR);
  logger.log(`DATABASE_URL is not set: starting the embedded PostgreSQL in ${dataDir}`);
  const database = await EmbeddedPostgres.start({
    dataDir,
    port: settings.EMBEDDED_PG_PORT,
    database: 'se3_events',
    log: (message) => logger.debug(message, 'EmbeddedPostgres'),
  });
  settings.DATABASE_URL = database.url;
  return database;
}

function logLevelsUpTo(level: EnvironmentVariables['LOG_LEVEL']): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

/** The address a box on the local network would use to reach this machine. */
function lanAddress(host: string): string {
  if (host && host !== '0.0.0.0' && host !== '::') return host;
  const addresses = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []);
  return addresses.find((entry) => entry.family === 'IPv4' && !entry.internal)?.address ?? 'localhost';
}

function redactPassword(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

void bootstrap();
