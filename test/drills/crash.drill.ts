import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runBoxes } from '../support/box-client';
import { TEST_WEBHOOK_SECRET } from '../support/hooks';
import { pollUntil } from '../support/poll';
import { freePort } from '../support/free-port';
import { sampleEvent } from '../support/samples';
import { ServiceProcess, startService } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * Crash drill (`npm run drill:crash`): boxes upload distinct events (a third of them 1001 or
 * 1002) while the service is killed with SIGKILL several times and started again. At the end,
 * every event the boxes saw acknowledged must be stored exactly once, and every hook of a
 * stored 1001/1002 event delivered to the webhook receiver and to the gallery.
 */
const KILLS = Number(process.env.DRILL_KILLS ?? 6);
const BOXES = Number(process.env.DRILL_BOXES ?? 8);
const EVENTS_PER_BOX = Number(process.env.DRILL_EVENTS_PER_BOX ?? 150);
const FIRST_TIMESTAMP = 1_700_000_000_000;

const SAMPLES = ['gate-employee.json', 'snapcam-stranger-1001.json', 'gallery-update-1002.json'].map((name) => sampleEvent(name));

describe('crash drill', () => {
  let database: TestDatabase;
  let dataDir: string;
  const receiver = new WebhookReceiver();
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'se3-drill-crash-'));
    await chmod(dataDir, 0o755);
    await receiver.listen();
  });

  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await receiver.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loses nothing acknowledged, stores nothing twice, and delivers every hook', async () => {
    const port = await freePort();
    const env = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOOK_WEBHOOK_URLS: receiver.url,
      HOOK_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      HOOK_POLL_INTERVAL: '200ms',
      HOOK_RETRY_SCHEDULE: '500ms,1s,2s,2s,2s,2s,2s,2s,2s,2s',
      HOOK_DELIVERY_TIMEOUT: '3s',
    };
    service = await startService(env);
    let loadDone = false;
    const load = runBoxes({
      baseUrl: () => `http://127.0.0.1:${port}`,
      boxes: BOXES,
      eventsPerBox: EVENTS_PER_BOX,
      firstTimestamp: FIRST_TIMESTAMP,
      event: (timestamp) => ({ ...SAMPLES[timestamp % 3], timestamp }),
      retryDelayMs: 100,
    }).finally(() => (loadDone = true));

    let kills = 0;
    while (kills < KILLS && !loadDone) {
      await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 1000));
      service.child.kill('SIGKILL');
      await service.exited;
      kills++;
      service = await startService(env);
    }
    const run = await load;
    const total = BOXES * EVENTS_PER_BOX;

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows: stored } = await client.query<{ timestamp_ms: string; copies: number }>(
        'SELECT timestamp_ms, count(*)::int AS copies FROM history_event GROUP BY timestamp_ms',
      );
      const storedTimestamps = new Set(stored.map((row) => Number(row.timestamp_ms)));
      const lost = [...run.acknowledged].filter((timestamp) => !storedTimestamps.has(timestamp));
      const duplicated = stored.filter((row) => row.copies > 1);

      const expectedHooks = [...run.acknowledged].filter((timestamp) => timestamp % 3 !== 0).length;
      const hooks = await pollUntil(
        async () =>
          (
            await client.query<{ hooks: number; delivered: number; dead: number }>(
              `SELECT count(DISTINCT h."seq")::int AS hooks,
                      count(*) FILTER (WHERE d."status" = 'delivered')::int AS delivered,
                      count(*) FILTER (WHERE d."status" = 'dead')::int AS dead
                 FROM "hook" h LEFT JOIN "hook_delivery" d ON d."hook_seq" = h."seq"`,
            )
          ).rows[0],
        (state) => state.hooks === expectedHooks && state.delivered === 2 * expectedHooks,
        { timeoutMs: 120_000, what: 'every hook delivered to the webhook receiver and the gallery' },
      );
      const receivedIds = receiver.accepted().map((request) => String(request.headers['webhook-id']));
      const redelivered = receivedIds.length - new Set(receivedIds).size;

      console.table([
        {
          SIGKILLs: kills,
          'events sent': total,
          acknowledged: run.acknowledged.size,
          'stored rows': stored.length,
          lost: lost.length,
          duplicated: duplicated.length,
          'hooks (1001/1002)': hooks.hooks,
          'deliveries done': hooks.delivered,
          dead: hooks.dead,
          'webhooks received again (same hook id)': redelivered,
          'answers by status': JSON.stringify(Object.fromEntries(run.statuses)),
        },
      ]);

      expect(kills).toBeGreaterThanOrEqual(Math.min(KILLS, 3));
      expect(run.acknowledged.size).toBe(total);
      expect(lost).toEqual([]);
      expect(duplicated).toEqual([]);
      expect(stored.length).toBe(total);
      expect(hooks.dead).toBe(0);
      expect(new Set(receivedIds).size).toBe(expectedHooks);
    } finally {
      await client.end();
    }
  }, 600_000);
});
