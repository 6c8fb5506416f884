import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Client } from 'pg';

/** A database of its own for one test file, on the run's server; dropped by `drop()`. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global setup sets it)');
  return url;
}

function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A new database: a copy of the run's migrated template (so that a test app starts without
 * migrating), or an empty one for the tests of the migrations themselves.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `se3_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = options.empty ? undefined : process.env.SE3_TEST_TEMPLATE_DATABASE;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  return {
    url: databaseUrl(name),
    name,
    drop: async () => {
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * Creates the run's template database and applies every migration to it, with the built
 * service's own migration runner (in a child process: TypeORM loads the compiled migrations).
 * Returns its name.
 */
export async function createTemplateDatabase(root: string): Promise<string> {
  const name = `se3_template_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const script = `
    const { DataSource } = require('typeorm');
    const { typeOrmOptions } = require('./dist/database/typeorm-options');
    const { runMigrations } = require('./dist/database/migration-runner');
    const dataSource = new DataSource(typeOrmOptions(process.argv[1], 2));
    dataSource.initialize().then(() => runMigrations(dataSource)).then(() => dataSource.destroy()).catch((error) => {
      console.error(error);
      process.exit(1);
    });`;
  // Asynchronously: an embedded server started by this process must go on being served meanwhile.
  await promisify(execFile)(process.execPath, ['-e', script, databaseUrl(name)], { cwd: root });
  return name;
}

export async function dropTemplateDatabase(): Promise<void> {
  const name = process.env.SE3_TEST_TEMPLATE_DATABASE;
  if (name) await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
