import type { DataSource } from 'typeorm';

/** Any constant: instances starting together take turns to migrate, on this advisory lock. */
const MIGRATION_LOCK_ID = 0x5e3_e7e7;

/**
 * Applies pending migrations, one instance at a time: several instances of the service may
 * start together against one database. Returns the names of the migrations it applied.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await lockHolder.release();
  }
}
