import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { createTemplateDatabase } from './test-database';

const ROOT = join(__dirname, '..', '..');

/**
 * Before any test file: the build is brought up to date (tests that start `dist/main.js` must
 * never run stale code), a real PostgreSQL is found — TEST_DATABASE_URL when set, otherwise an
 * embedded server started here for the run — and a template database is migrated once, from
 * which each test file's database is then copied.
 */
export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.js'), '--if-changed'], { cwd: ROOT, stdio: 'inherit' });
  if (!process.env.TEST_DATABASE_URL) {
    const dataDir = await mkdtemp(join(tmpdir(), 'se3-test-pg-'));
    // As root, PostgreSQL runs as the postgres user: a folder it can enter keeps the cluster here
    // (under a TMPDIR it cannot enter, the cluster goes to EMBEDDED_PG_SYSTEM_DIR; teardown removes it).
    await chmod(dataDir, 0o755);
    const server = await EmbeddedPostgres.start({ dataDir, port: 0, database: 'postgres', systemDir: process.env.EMBEDDED_PG_SYSTEM_DIR });
    process.env.TEST_DATABASE_URL = server.url;
    process.env.SE3_TEST_EMBEDDED_DIR = dataDir;
    (globalThis as { embeddedPostgres?: EmbeddedPostgres }).embeddedPostgres = server;
  }
  process.env.SE3_TEST_TEMPLATE_DATABASE = await createTemplateDatabase(ROOT);
}
