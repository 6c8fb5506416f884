import { rm } from 'node:fs/promises';
import type { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { dropTemplateDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { embeddedPostgres?: EmbeddedPostgres }).embeddedPostgres;
  if (!server) {
    await dropTemplateDatabase();
    return;
  }
  await server.stop();
  await rm(process.env.SE3_TEST_EMBEDDED_DIR!, { recursive: true, force: true });
}
