import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * The tests need a real PostgreSQL: TEST_DATABASE_URL when set, otherwise an embedded server
 * started here for the run (each test file then creates a database of its own in it).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const dataDir = await mkdtemp(join(tmpdir(), 'se3-test-pg-'));
  // As root, PostgreSQL runs as the postgres user: a folder it can enter keeps the cluster here
  // (under a TMPDIR it cannot enter, the cluster goes to EMBEDDED_PG_SYSTEM_DIR; teardown removes it).
  await chmod(dataDir, 0o755);
  const server = await EmbeddedPostgres.start({ dataDir, port: 0, database: 'postgres', systemDir: process.env.EMBEDDED_PG_SYSTEM_DIR });
  process.env.TEST_DATABASE_URL = server.url;
  process.env.SE3_TEST_EMBEDDED_DIR = dataDir;
  (globalThis as { embeddedPostgres?: EmbeddedPostgres }).embeddedPostgres = server;
}
