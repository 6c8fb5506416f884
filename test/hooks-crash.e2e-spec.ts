import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { QUICK_HOOKS, TEST_WEBHOOK_SECRET, upload, verifyStandardWebhook } from './support/hooks';
import { pollUntil } from './support/poll';
import { readSample, sampleEvent } from './support/samples';
import { startService } from './support/service-process';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { freePort } from './support/free-port';
import { WebhookReceiver } from './support/webhook-receiver';

interface WebhookState {
  hook_id: string;
  status: string;
  attempts: number;
  claimed: boolean;
}

async function webhookStates(database: TestDatabase): Promise<WebhookState[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<WebhookState>(
      `SELECT h."id" AS hook_id, d."status", d."attempts", d."claimed_until" > now() AS claimed
         FROM "hook" h JOIN "hook_delivery" d ON d."hook_seq" = h."seq"
        WHERE d."subscriber" LIKE 'webhook:%' ORDER BY h."seq"`,
    );
    return rows;
  } finally {
    await client.end();
  }
}

async function hookIds(database: TestDatabase): Promise<string[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<{ id: string }>(`SELECT "id" FROM "hook" ORDER BY "seq"`)).rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

describe('hooks survive a crash of the service (SIGKILL)', () => {
  let database: TestDatabase;
  let dataDir: string;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'se3-hooks-crash-'));
    receiver = new WebhookReceiver();
  });

  afterEach(async () => {
    await receiver.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const serviceEnv = (port: number, extra: Record<string, string> = {}) => ({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    ADMIN_API_KEYS: TEST_ADMIN_KEY,
    ...QUICK_HOOKS,
    HOOK_WEBHOOK_URLS: `http://127.0.0.1:${port}/hooks`,
    HOOK_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    ...extra,
  });

  it('delivers the hook of a 1001 event acknowledged just before the kill, after a restart', async () => {
    // Nothing listens at the webhook's address yet: the first instance cannot deliver.
    const port = await freePort();
    const first = await startService(serviceEnv(port));
    const [stored] = await upload(`http://127.0.0.1:${first.port}`, readSample('snapcam-stranger-1001.json'));
    expect(stored.result).toBe('stored');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const [hookId] = await hookIds(database);
    expect(hookId).toBeDefined();
    expect((await webhookStates(database)).filter((state) => state.status === 'delivered')).toEqual([]);

    await receiver.listen(port);
    const second = await startService(serviceEnv(port));
    try {
      const [accepted] = await pollUntil(
        () => receiver.accepted(),
        (requests) => requests.length > 0,
        {
          what: 'the delivery after the restart',
        },
      );
      expect(accepted.headers['webhook-id']).toBe(hookId);
      expect(verifyStandardWebhook(TEST_WEBHOOK_SECRET, accepted.headers, accepted.body)).toBe(true);
      expect(JSON.parse(accepted.body)).toMatchObject({ id: hookId, type: 'stranger.registration', event_id: stored.id });
      const [state] = await pollUntil(
        () => webhookStates(database),
        (states) => states[0]?.status === 'delivered',
      );
      expect(state.hook_id).toBe(hookId);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 60_000);

  it('delivers a hook whose delivery was under way when the service was killed, once its lease runs out', async () => {
    receiver.answer = () => 'hang';
    const port = await receiver.listen();
    const env = serviceEnv(port, { HOOK_DELIVERY_TIMEOUT: '1s' });
    const first = await startService(env);
    const [stored] = await upload(`http://127.0.0.1:${first.port}`, readSample('gallery-update-1002.json'));
    await pollUntil(
      () => receiver.received,
      (requests) => requests.length > 0,
      { what: 'the first attempt' },
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const [claimed] = await webhookStates(database);
    expect(claimed).toMatchObject({ status: 'pending', attempts: 1, claimed: true });

    receiver.answer = () => 204;
    const second = await startService(env);
    try {
      const [state] = await pollUntil(
        () => webhookStates(database),
        (states) => states[0]?.status === 'delivered',
        {
          timeoutMs: 30_000,
          what: 'the delivery after the lease',
        },
      );
      expect(state.attempts).toBe(2);
      const [hookId] = await hookIds(database);
      expect(receiver.received.map((request) => request.headers['webhook-id'])).toEqual([hookId, hookId]);
      expect(JSON.parse(receiver.accepted()[0].body)).toMatchObject({ id: hookId, event_id: stored.id });
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 60_000);
});

describe('two dispatchers on one database', () => {
  const receiver = new WebhookReceiver();
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    await receiver.listen();
    // A delivery timeout no load can reach: a repeat can then only come from two dispatchers
    // attempting one delivery, not from an attempt that timed out on a busy machine and was retried.
    const env = { ...QUICK_HOOKS, HOOK_DELIVERY_TIMEOUT: '60s', HOOK_WEBHOOK_URLS: receiver.url, HOOK_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET };
    first = await createTestApp(env);
    second = await createTestApp(env, { database: first.database });
  });

  afterAll(async () => {
    await second.close();
    await first.close();
    await receiver.close();
  });

  it('deliver each hook once', async () => {
    const events = Array.from({ length: 300 }, (_, index) => {
      const event = sampleEvent('gallery-update-1002.json');
      event.identity_id = `person-${index % 40}`;
      event.timestamp += index;
      event.reg_pic = '';
      event.ext_data.spot_pic = '';
      event.ext_data.recognize_face = '';
      return event;
    });
    for (let start = 0; start < events.length; start += 100) {
      await upload(start % 200 === 0 ? first : second, events.slice(start, start + 100));
    }
    const ids: { id: string }[] = await first.dataSource.query(`SELECT "id" FROM "hook"`);
    expect(ids).toHaveLength(300);
    await pollUntil(
      () => first.dataSource.query(`SELECT count(*)::int AS n FROM "hook_delivery" WHERE "status" = 'delivered'`),
      ([{ n }]) => n === 600,
      { timeoutMs: 30_000, what: '600 deliveries (gallery and webhook)' },
    );
    const received = receiver.received.map((request) => String(request.headers['webhook-id']));
    expect(received).toHaveLength(300);
    expect(new Set(received)).toEqual(new Set(ids.map((row) => row.id)));
  }, 60_000);
});
