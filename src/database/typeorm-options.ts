import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';

/** Limits every connection of a pool sets at its start (0 or absent: none). */
export interface SessionTimeouts {
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
}

/**
 * The one TypeORM configuration, shared by the application, the migration CLI and the tests.
 * The schema comes from the committed migrations only: never `synchronize`. The service passes
 * its timeouts; the CLIs (migrations, seed) run without any. The entities are given by the
 * caller (`ENTITIES` of src/entities.ts); running migrations needs none.
 */
export function typeOrmOptions(url: string, poolSize = 10, timeouts: SessionTimeouts = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
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
      // Sent as start-up parameters of each connection: no extra round trip.
      ...(timeouts.statementTimeoutMs ? { statement_timeout: timeouts.statementTimeoutMs } : {}),
      ...(timeouts.lockTimeoutMs ? { lock_timeout: timeouts.lockTimeoutMs } : {}),
    },
  };
}
