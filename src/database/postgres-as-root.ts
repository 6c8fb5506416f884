import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, cp, lstat, mkdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PostgresBinaries } from './postgres-binaries';

/** As root, where the binaries and clusters go that the postgres user could not reach elsewhere (EMBEDDED_PG_SYSTEM_DIR). */
export const DEFAULT_EMBEDDED_PG_SYSTEM_DIR = '/var/lib/se3-event-server';

/** The user PostgreSQL runs as when the service runs as root (it refuses to run as root itself). */
export interface PostgresUser {
  uid: number;
  gid: number;
}

/** Where, as root, the cluster of DATA_DIR is, and with which binaries the postgres user runs it. */
export interface RootLayout {
  user: PostgresUser;
  binaries: PostgresBinaries;
  /** The cluster's real folder, which the postgres user can reach. */
  clusterDir: string;
  /** `DATA_DIR/postgres` when it is a link to `clusterDir` elsewhere. */
  linkedFrom: string | null;
}

/**
 * As root, PostgreSQL runs as the `postgres` user (created when missing), which must be able to
 * run the binaries and enter the cluster's folder. A clone under /root (mode 0700) offers
 * neither. Then, once, the binaries are copied to `systemDir/postgresql-<version>-<platform>`,
 * and a new cluster is made in `systemDir/clusters/<hash of DATA_DIR>/postgres`, with
 * `DATA_DIR/postgres` a link to it: the data stays reachable from where the user expects it.
 * Whether the postgres user can reach a path is asked of the kernel (a probe run as that user),
 * so that groups and ACLs count as they will for PostgreSQL.
 */
export async function layoutForRoot(
  dataDir: string,
  binaries: PostgresBinaries,
  systemDir: string,
  log: (message: string) => void,
): Promise<RootLayout> {
  const user = postgresUser(log);
  const usable = canRun(user, binaries.postgres) ? binaries : await stageBinaries(binaries, resolve(systemDir), user, log);
  const link = join(dataDir, 'postgres');
  const existing = await lstat(link).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    return { user, binaries: usable, clusterDir: resolve(dataDir, await readlink(link)), linkedFrom: link };
  }
  if (existing || canEnter(user, dataDir)) {
    if (existing && !canEnter(user, link)) {
      throw new Error(
        `running as root, the embedded PostgreSQL runs as the postgres user, which cannot enter the cluster in ${link}; ` +
          'move DATA_DIR where that user can enter it, run as another user, or set DATABASE_URL',
      );
    }
    return { user, binaries: usable, clusterDir: link, linkedFrom: null };
  }
  const home = join(resolve(systemDir), 'clusters', createHash('sha256').update(dataDir).digest('hex').slice(0, 16));
  await makeReachableDir(home, user);
  await writeFile(join(home, 'DATA_DIR'), `${dataDir}\n`);
  const clusterDir = join(home, 'postgres');
  await symlink(clusterDir, link);
  log(`the postgres user cannot enter ${dataDir}: its cluster goes to ${clusterDir}, and ${link} links to it`);
  return { user, binaries: usable, clusterDir, linkedFrom: link };
}

function postgresUser(log: (message: string) => void): PostgresUser {
  const lookUp = () => ({ uid: Number(idOf('-u')), gid: Number(idOf('-g')) });
  try {
    return lookUp();
  } catch {
    log('creating the postgres user to run PostgreSQL as (it does not run as root)');
  }
  try {
    if (spawnSync('getent', ['group', 'postgres']).status !== 0) execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'pipe' });
    execFileSync(
      'useradd',
      ['--system', '--gid', 'postgres', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres'],
      { stdio: 'pipe' },
    );
    return lookUp();
  } catch (error) {
    throw new Error(
      `running as root, the embedded PostgreSQL needs a postgres user to run as, and creating it failed (${(error as Error).message.trim()}); ` +
        'create one, run as another user, or set DATABASE_URL',
      { cause: error },
    );
  }
}

function idOf(flag: '-u' | '-g'): string {
  return execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/** True when `user` can run the binary (every folder above it entered, its libraries loaded). */
function canRun(user: PostgresUser, binary: string): boolean {
  const probe = spawnSync(binary, ['--version'], { ...user, cwd: '/', stdio: 'ignore', timeout: 30_000 });
  return probe.error === undefined && probe.status === 0;
}

/** True when `user` can enter the folder `path` (and every folder above it). */
function canEnter(user: PostgresUser, path: string): boolean {
  const probe = spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'sh', path], { ...user, cwd: '/', stdio: 'ignore', timeout: 30_000 });
  return probe.error === undefined && probe.status === 0;
}

/** Creates `dir` and its missing parents, mode 0755 whatever the umask, and checks that `user` can enter it. */
async function makeReachableDir(dir: string, user: PostgresUser): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: 0o755 });
  if (first) for (let path = dir; path.startsWith(first); path = resolve(path, '..')) await chmod(path, 0o755);
  if (!canEnter(user, dir)) {
    throw new Error(
      `running as root, the embedded PostgreSQL runs as the postgres user, which cannot enter ${dir} either; ` +
        'set EMBEDDED_PG_SYSTEM_DIR to a folder it can enter, or set DATABASE_URL',
    );
  }
}

/** A copy of the PostgreSQL binaries (bin, lib, share) that `user` can run, made once per version. */
async function stageBinaries(binaries: PostgresBinaries, systemDir: string, user: PostgresUser, log: (message: string) => void) {
  const staged = join(systemDir, `postgresql-${binaries.version}-${process.platform}-${process.arch}`);
  const inStaged = (binary: string) => join(staged, 'bin', binary);
  const result: PostgresBinaries = { ...binaries, nativeDir: staged, postgres: inStaged('postgres'), initdb: inStaged('initdb') };
  if (await lstat(staged).catch(() => undefined)) return result;
  log(`the postgres user cannot run the PostgreSQL binaries in ${binaries.nativeDir}: copying them to ${staged}`);
  await makeReachableDir(systemDir, user);
  // Copied aside and renamed into place, so that a copy cut short is never taken for a whole one.
  const partial = `${staged}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await cp(binaries.nativeDir, partial, { recursive: true, verbatimSymlinks: true });
  try {
    await rename(partial, staged);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    // Another instance staged them meanwhile.
    if (!(await lstat(staged).catch(() => undefined))) throw error;
  }
  if (!canRun(user, result.postgres)) {
    throw new Error(`the postgres user cannot run the PostgreSQL binaries copied to ${staged} either; set DATABASE_URL`);
  }
  return result;
}
