import { Client } from 'pg';
import { runBoxes } from './support/box-client';
import { pollUntil } from './support/poll';
import { PostgresServer, serviceOnItsOwnPostgres, ServiceOnOwnPostgres } from './support/postgres-server';
import { sampleEvent } from './support/samples';
import { ServiceProcess } from './support/service-process';

const until = (what: string, check: () => Promise<boolean>) =>
  pollUntil(
    () => check().catch(() => false),
    (done) => done,
    { timeoutMs: 30_000, intervalMs: 100, what },
  );

describe('a database outage under load', () => {
  let setup: ServiceOnOwnPostgres;
  let database: PostgresServer;
  let service: ServiceProcess;

  beforeAll(async () => {
    setup = await serviceOnItsOwnPostgres('outage');
    ({ database, service } = setup);
  }, 60_000);

  afterAll(async () => {
    await setup?.close();
  });

  it('answers only 200 or 503 while PostgreSQL is down, never hangs or crashes, and recovers by itself', async () => {
    const baseUrl = `http://127.0.0.1:${service.port}`;
    const template = sampleEvent('gate-employee.json');
    // The boxes upload until a second after the database is back, so that they live through the outage.
    let stopped = false;
    const load = runBoxes({
      baseUrl: () => baseUrl,
      boxes: 4,
      eventsPerBox: 100_000,
      firstTimestamp: 1_650_000_000_000,
      event: (timestamp) => ({ ...template, timestamp }),
      requestTimeoutMs: 15_000,
      retryDelayMs: 100,
      stop: () => stopped,
    });

    await new Promise((resolve) => setTimeout(resolve, 1000));
    await database.stop();
    await until('readiness to go false', async () => (await fetch(`${baseUrl}/health/ready`)).status === 503);
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    const during = await fetch(`${baseUrl}/EventServer/api/HistoryEvent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...template, timestamp: 1_659_999_999_999 }),
    });
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('5');
    expect(await during.json()).toEqual({ status: 503, message: 'database unavailable, retry later', errors: [] });
    await new Promise((resolve) => setTimeout(resolve, 2000));

    await database.start();
    await until('readiness to come back', async () => (await fetch(`${baseUrl}/health/ready`)).status === 200);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    stopped = true;
    const run = await load;

    expect(service.child.exitCode).toBeNull();
    expect([...run.statuses.keys()].sort()).toEqual([200, 503]);
    expect(run.acknowledged.size).toBeGreaterThan(0);

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ timestamp_ms: string; copies: number }>(
        'SELECT timestamp_ms, count(*)::int AS copies FROM history_event WHERE timestamp_ms >= $1 GROUP BY timestamp_ms',
        [1_650_000_000_000],
      );
      const stored = new Set(rows.map((row) => Number(row.timestamp_ms)));
      expect([...run.acknowledged].filter((timestamp) => !stored.has(timestamp))).toEqual([]);
      expect(rows.filter((row) => row.copies > 1)).toEqual([]);
    } finally {
      await client.end();
    }
  }, 120_000);
});
