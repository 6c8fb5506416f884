import { DataSource } from 'typeorm';
import { runMigrations } from '../src/database/migration-runner';
import { typeOrmOptions } from '../src/database/typeorm-options';
import { ENTITIES } from '../src/entities';
import { createTestDatabase, TestDatabase } from './support/test-database';

describe('migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    dataSource = await new DataSource({ ...typeOrmOptions(database.url), entities: ENTITIES }).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('create exactly the schema the entities describe (an entity change without its migration fails here)', async () => {
    expect((await runMigrations(dataSource)).length).toBeGreaterThan(0);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('are applied once: a second run, as by a second instance, applies nothing', async () => {
    expect(await runMigrations(dataSource)).toEqual([]);
  });

  it('store image bytes uncompressed', async () => {
    const [{ attstorage }] = await dataSource.query(
      `SELECT attstorage FROM pg_attribute WHERE attrelid = 'history_event_image'::regclass AND attname = 'data'`,
    );
    expect(attstorage).toBe('e');
  });

  it('can all be reverted, leaving only the migrations table', async () => {
    while ((await dataSource.query('SELECT count(*)::int AS n FROM schema_migrations'))[0].n > 0) {
      await dataSource.undoLastMigration();
    }
    const tables = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables).toEqual([{ table_name: 'schema_migrations' }]);
  });
});
