import { Client } from 'pg';
import { runBoxes } from '../support/box-client';
import { pollUntil } from '../support/poll';
import { PostgresServer, serviceOnItsOwnPostgres, ServiceOnOwnPostgres } from '../support/postgres-server';
import { sampleEvent } from '../support/samples';
import { ServiceProcess } from '../support/service-process';

/**
 * Outage drill (`npm run drill:outage`): boxes upload distinct events while PostgreSQL is
 * stopped and started again several times. The service must answer only 200 or 503, never
 * crash, come back by itself each time, and have stored every acknowledged event exactly once.
 */
const OUTAGES = Number(process.env.DRILL_OUTAGES ?? 3);
const OUTAGE_MS = Number(process.env.DRILL_OUTAGE_MS ?? 3000);
const BOXES = Number(process.env.DRILL_BOXES ?? 8);
const EVENTS_PER_BOX = Number(process.env.DRILL_EVENTS_PER_BOX ?? 150);
const FIRST_TIMESTAMP = 1_710_000_000_000;

describe('outage drill', () => {
  let setup: ServiceOnOwnPostgres;
  let database: PostgresServer;
  let service: ServiceProcess;

  beforeAll(async () => {
    setup = await serviceOnItsOwnPostgres('drill-outage');
    ({ database, service } = setup);
  }, 60_000);

  afterAll(async () => {
    await setup?.close();
  });

  it('answers only 200 or 503, recovers without a restart, and loses nothing acknowledged', async () => {
    const baseUrl = `http://127.0.0.1:${service.port}`;
    const template = sampleEvent('gate-employee.json');
    let loadDone = false;
    const load = runBoxes({
      baseUrl: () => baseUrl,
      boxes: BOXES,
      eventsPerBox: EVENTS_PER_BOX,
      firstTimestamp: FIRST_TIMESTAMP,
      event: (timestamp) => ({ ...template, timestamp }),
      requestTimeoutMs: 15_000,
      retryDelayMs: 100,
    }).finally(() => (loadDone = true));

    const recoveries: number[] = [];
    let outages = 0;
    while (outages < OUTAGES && !loadDone) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await database.stop();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      await database.start();
      const back = Date.now();
      await pollUntil(
        async () => (await fetch(`${baseUrl}/health/ready`)).status,
        (status) => status === 200,
        { timeoutMs: 30_000, what: 'readiness after the database came back' },
      );
      recoveries.push(Date.now() - back);
      outages++;
    }
    const run = await load;

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ timestamp_ms: string; copies: number }>(
        'SELECT timestamp_ms, count(*)::int AS copies FROM history_event GROUP BY timestamp_ms',
      );
      const stored = new Set(rows.map((row) => Number(row.timestamp_ms)));
      const lost = [...run.acknowledged].filter((timestamp) => !stored.has(timestamp));
      const duplicated = rows.filter((row) => row.copies > 1);
      console.table([
        {
          outages,
          'outage ms': OUTAGE_MS,
          'ready again after (ms)': recoveries.join(', '),
          'events sent': BOXES * EVENTS_PER_BOX,
          acknowledged: run.acknowledged.size,
          'stored rows': rows.length,
          lost: lost.length,
          duplicated: duplicated.length,
          'answers by status': JSON.stringify(Object.fromEntries(run.statuses)),
          'service exited': service.child.exitCode !== null,
        },
      ]);

      expect(outages).toBeGreaterThanOrEqual(Math.min(OUTAGES, 2));
      expect(service.child.exitCode).toBeNull();
      expect([...run.statuses.keys()].sort()).toEqual([200, 503]);
      expect(run.acknowledged.size).toBe(BOXES * EVENTS_PER_BOX);
      expect(lost).toEqual([]);
      expect(duplicated).toEqual([]);
    } finally {
      await client.end();
    }
  }, 600_000);
});
