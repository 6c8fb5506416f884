import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { BoxRun, runBoxes } from './support/box-client';
import { freePort } from './support/free-port';
import { pollUntil } from './support/poll';
import { sampleEvent } from './support/samples';
import { ServiceProcess, startService } from './support/service-process';
import { createTestDatabase, TestDatabase } from './support/test-database';

describe('a rolling restart under load (SIGTERM, then a new instance on the same port)', () => {
  let dataDir: string;
  let database: TestDatabase;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'se3-restart-'));
    await chmod(dataDir, 0o755);
    database = await createTestDatabase();
  });

  afterAll(async () => {
    for (const service of services) service.child.kill('SIGKILL');
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loses and duplicates nothing: every acknowledged event is stored exactly once', async () => {
    const port = await freePort();
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, PORT: String(port) };
    const first = await startService(env);
    services.push(first);
    const template = sampleEvent('seed-example.json');
    const progress: BoxRun = { acknowledged: new Set(), statuses: new Map() };
    const load = runBoxes({
      baseUrl: () => `http://127.0.0.1:${port}`,
      boxes: 8,
      eventsPerBox: 40,
      firstTimestamp: 1_660_000_000_000,
      event: (timestamp) => ({ ...template, timestamp }),
      retryDelayMs: 50,
      run: progress,
    });

    // The restart happens under load: an eighth of the events acknowledged, the rest still to come.
    await pollUntil(
      () => progress.acknowledged.size,
      (acknowledged) => acknowledged >= 40,
      { what: '40 acknowledged events before the SIGTERM' },
    );
    const acknowledgedBeforeRestart = progress.acknowledged.size;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('HTTP server closed: no request in flight');
    services.push(await startService(env));

    const run = await load;
    expect(run.acknowledged.size).toBe(320);
    // The restart was under load, not after it: events were still to come at the SIGTERM.
    expect(acknowledgedBeforeRestart).toBeLessThan(320);
    expect([...run.statuses.keys()].filter((status) => status !== 200 && status !== 0 && status !== 503)).toEqual([]);

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT count(*)::int AS events, count(DISTINCT timestamp_ms)::int AS distinct_events FROM history_event',
      );
      expect(rows[0]).toEqual({ events: 320, distinct_events: 320 });
    } finally {
      await client.end();
    }

    const second = services[1];
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);
});
