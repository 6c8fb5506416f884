import type { INestApplication, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { App } from 'supertest/types';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { validateSettings } from '../../src/config/settings';
import { createRootLogger } from '../../src/logging/root-logger';
import { createTestDatabase, TestDatabase } from './test-database';

/** The admin API key of test apps (ADMIN_API_KEYS), unless a test sets its own. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789';

export interface TestApp {
  app: INestApplication<App>;
  dataSource: DataSource;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * The whole application, configured as main.ts configures it, on a fresh database of its own
 * (a copy of the run's migrated template, dropped by `close()`), or on `database` when given (a
 * second instance on the same database, which `close()` leaves). `env` holds settings as
 * environment strings.
 */
export interface TestAppOptions {
  /** Receives every log line (JSON) the app writes; by default they are dropped. */
  logs?: string[];
  /** A database to share with another test app; `close()` then leaves it. */
  database?: TestDatabase;
  /** Controllers of the test's own, served besides the app's (a route that exercises a mechanism). */
  controllers?: Type[];
  /** Start on an empty database rather than a copy of the migrated template. */
  emptyDatabase?: boolean;
}

export async function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase({ empty: options.emptyDatabase }));
  const settings = validateSettings({
    NODE_ENV: 'test',
    LOG_LEVEL: options.logs ? 'log' : 'warn',
    ADMIN_API_KEYS: TEST_ADMIN_KEY,
    ...env,
    DATABASE_URL: database.url,
  });
  const logger = createRootLogger(settings.log, settings.server.nodeEnv, { write: (line: string) => void options.logs?.push(line) });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(settings, logger)],
    controllers: options.controllers ?? [],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
  configureApp(app, settings);
  await app.init();
  return {
    app: app as unknown as INestApplication<App>,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    database,
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}
