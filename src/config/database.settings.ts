import { BooleanSetting, DurationSetting, IntSetting, TextSetting } from './setting.decorators';

/** PostgreSQL: the server (or the embedded one), the pool, the limits of every connection, migrations. */
export class DatabaseSettings {
  /** Unset: main.ts starts the embedded PostgreSQL in DATA_DIR and fills this in. */
  @TextSetting('DATABASE_URL', {
    optional: true,
    pattern: /^postgres(ql)?:\/\/\S+$/,
    message: 'must be a postgres:// or postgresql:// URL',
  })
  url?: string;

  @IntSetting('DATABASE_POOL_SIZE', { min: 1, max: 200 })
  poolSize = 10;

  /**
   * Longest a statement may run on any connection of the service (PostgreSQL's statement_timeout):
   * a query stuck behind a lock or a broken plan fails (503, the box retries) instead of holding
   * an upload and a connection. 0: no limit. Migrations and VACUUM run without it.
   */
  @DurationSetting('DATABASE_STATEMENT_TIMEOUT', { min: 0, max: 3_600_000, message: 'must be a duration such as 30s (0: no limit)' })
  statementTimeoutMs = 30_000;

  /** Longest a statement waits for a lock (PostgreSQL's lock_timeout), e.g. behind a migration elsewhere. 0: no limit. */
  @DurationSetting('DATABASE_LOCK_TIMEOUT', { min: 0, max: 3_600_000, message: 'must be a duration such as 10s (0: no limit)' })
  lockTimeoutMs = 10_000;

  @BooleanSetting('MIGRATIONS_RUN')
  migrationsRun = true;

  @IntSetting('EMBEDDED_PG_PORT', { min: 0, max: 65535, message: 'must be 0 (pick a free port) or a port number' })
  embeddedPort = 0;

  /**
   * Started as root: where the embedded PostgreSQL's binaries and cluster go when the postgres
   * user (which PostgreSQL runs as) cannot reach them under the install folder or DATA_DIR.
   * Unset: /var/lib/se3-event-server (DEFAULT_EMBEDDED_PG_SYSTEM_DIR of the embedded server).
   */
  @TextSetting('EMBEDDED_PG_SYSTEM_DIR', { optional: true, pattern: /^\//, message: 'must be an absolute path' })
  embeddedSystemDir?: string;
}
