import type { DataSource } from 'typeorm';
import { MigrationExecutor } from 'typeorm';

/** Any constant: instances starting together take turns to migrate, on this advisory lock. */
export const MIGRATION_LOCK_ID = 0x5e3_e7e7;

/**
 * Applies pending migrations, one instance at a time: several instances of the service may
 * start together against one database. Returns the names of the migrations it applied.
 * They run on one connection of their own, without the service's statement and lock timeouts:
 * rewriting or indexing a large table takes what it takes.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SET statement_timeout = 0');
    await runner.query('SET lock_timeout = 0');
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.query('RESET statement_timeout; RESET lock_timeout').catch(() => undefined);
    await runner.release();
  }
}
