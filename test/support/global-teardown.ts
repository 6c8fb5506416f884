import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
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
  // A cluster kept elsewhere (see EmbeddedPostgres.linkedFrom) goes too, with the folder made for it.
  if (server.linkedFrom) await rm(dirname(server.clusterDir), { recursive: true, force: true });
}
