import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { validateSettings } from '../../src/config/settings';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migration-runner';
import { typeOrmOptions } from '../../src/database/typeorm-options';
import { seedEvents } from './event-seeder';

const USAGE = `npm run seed -- --events <n> [--months 12] [--append] [--seed 42]

Fills the database with <n> realistic events (DATABASE_URL, or the embedded PostgreSQL in
DATA_DIR when it is not set, as the service does). Refuses a database that already holds
events unless --append is given. The service may be running (with DATABASE_URL).`;

/** `npm run seed -- --events 1000000`: fills a database for trying the admin API at scale. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      months: { type: 'string', default: '12' },
      seed: { type: 'string', default: '42' },
      append: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const events = Number(values.events);
  if (values.help || !Number.isInteger(events) || events < 1) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 1);
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { database, server } = validateSettings(process.env);
  const embedded = database.url
    ? undefined
    : await EmbeddedPostgres.start({
        dataDir: resolve(server.dataDir),
        port: database.embeddedPort,
        database: 'se3_events',
        systemDir: database.embeddedSystemDir,
      });
  const dataSource = await new DataSource(typeOrmOptions(database.url ?? embedded!.url, 2)).initialize();
  try {
    const applied = await runMigrations(dataSource);
    if (applied.length > 0) console.log(`applied migrations: ${applied.join(', ')}`);
    const [{ existing }] = await dataSource.query<{ existing: number }[]>(
      'SELECT count(*)::int AS existing FROM (SELECT 1 FROM history_event LIMIT 1) AS one',
    );
    if (existing > 0 && !values.append) {
      throw new Error('the database already holds events: pass --append to add more');
    }
    const result = await seedEvents(dataSource, {
      events,
      months: Number(values.months),
      seed: Number(values.seed),
      log: (message) => console.log(message),
    });
    console.log(
      `seeded ${result.events} events and ${result.quarantined} quarantined uploads in ${(result.milliseconds / 1000).toFixed(1)} s`,
    );
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
