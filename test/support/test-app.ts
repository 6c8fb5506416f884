import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { App } from 'supertest/types';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { validateEnvironment } from '../../src/config/environment';
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
 * (migrated at start-up, dropped by `close()`). `env` holds settings as environment strings.
 * With `options.database`, it runs on that database instead (as a second instance would), and
 * `close()` leaves the database to its owner.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { database?: TestDatabase } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const settings = validateEnvironment({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ADMIN_API_KEYS: TEST_ADMIN_KEY,
    ...env,
    DATABASE_URL: database.url,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(settings)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error', 'warn'] });
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
