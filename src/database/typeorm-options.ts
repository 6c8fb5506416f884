import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';

/**
 * The one TypeORM configuration, shared by the application, the migration CLI and the tests.
 * The schema comes from the committed migrations only: never `synchronize`.
 */
export function typeOrmOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    applicationName: 'se3-event-server',
    extra: {
      max: poolSize,
      // A database that does not answer must fail a request quickly (503), not hold it.
      connectionTimeoutMillis: 5_000,
    },
  };
}
