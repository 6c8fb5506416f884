import request from 'supertest';
import { deliveriesOf, hookIdsOf, QUICK_HOOKS, TEST_WEBHOOK_SECRET, upload, verifyStandardWebhook } from './support/hooks';
import { pollUntil } from './support/poll';
import { readSample, sampleEvent } from './support/samples';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const admin = (target: TestApp) => ({
  get: (path: string) => request(target.app.getHttpServer()).get(path).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`),
  post: (path: string) => request(target.app.getHttpServer()).post(path).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`),
});

/** A gallery update for `identityId` at `timestamp`, without images (the gallery rejects it quickly). */
function galleryUpdate(identityId: string, timestamp: number): Record<string, any> {
  const event = sampleEvent('gallery-update-1002.json');
  event.identity_id = identityId;
  event.timestamp = timestamp;
  event.reg_pic = '';
  event.ext_data.spot_pic = '';
  event.ext_data.recognize_face = '';
  return event;
}

const webhookDeliveries = async (target: TestApp, eventId?: string) =>
  (await deliveriesOf(target.dataSource, eventId)).filter((row) => row.subscriber.startsWith('webhook:'));

describe('webhook delivery', () => {
  const receiver = new WebhookReceiver();
  let target: TestApp;

  beforeAll(async () => {
    await receiver.listen();
    target = await createTestApp({
      ...QUICK_HOOKS,
      HOOK_WEBHOOK_URLS: receiver.url.replace('http://', 'http://user:pass@') + '?token=abc',
      HOOK_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    });
  });

  afterAll(async () => {
    await target.close();
    await receiver.close();
  });

  beforeEach(() => {
    receiver.answer = () => 204;
  });

  it('retries a receiver that fails three times, then delivers the hook, signed, with a stable id', async () => {
    receiver.answer = ({ attempt }) => (attempt <= 3 ? 500 : 200);
    const sample = readSample<Record<string, any>>('snapcam-stranger-1001.json');
    const byteSize = (base64: string) => Buffer.from(base64, 'base64').length;
    const [stored] = await upload(target, sample);
    const [hookId] = await hookIdsOf(target.dataSource, stored.id);

    const [delivery] = await pollUntil(
      () => webhookDeliveries(target, stored.id),
      (rows) => rows[0]?.status === 'delivered',
      { what: 'the webhook delivery' },
    );
    expect(delivery).toMatchObject({
      hook_id: hookId,
      type: 'stranger.registration',
      subscriber: `webhook:${receiver.url}`,
      status: 'delivered',
      attempts: 4,
      last_error: 'the receiver answered HTTP 500',
    });

    const requests = receiver.received.filter((received) => received.headers['webhook-id'] === hookId);
    expect(requests.map((received) => received.status)).toEqual([500, 500, 500, 200]);
    for (const received of requests) {
      expect(verifyStandardWebhook(TEST_WEBHOOK_SECRET, received.headers, received.body)).toBe(true);
      expect(received.headers['content-type']).toBe('application/json');
      expect(received.headers.authorization).toBe(`Basic ${Buffer.from('user:pass').toString('base64')}`);
      expect(received.headers.host).toBe(new URL(receiver.url).host);
    }
    expect(verifyStandardWebhook(TEST_WEBHOOK_SECRET, requests[0].headers, requests[0].body.replace('0.21', '0.99'))).toBe(false);
    expect(verifyStandardWebhook(`whsec_${Buffer.alloc(32).toString('base64')}`, requests[0].headers, requests[0].body)).toBe(false);

    expect(JSON.parse(requests[3].body)).toEqual({
      id: hookId,
      type: 'stranger.registration',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      event_id: stored.id,
      event: { timestamp: 1602612036150, time: '2020-10-13T18:00:36.150Z', score: 0.21, want_action: '1001' },
      identity: { id: '1602612036.3828533', name: 'stranger', group: 'default_group', person_type: 4 },
      device: {
        dev_sno: '3714be15-09b3-41ec-b9ce-62b668e5fa32',
        ep_id: '3714be15-09b3-41ec-b9ce-62b668e5fa32__192.168.1.101',
        device_ip: '192.168.1.101',
        device_type: '1',
      },
      fiqa: { result: true, fails: [] },
      images: [
        {
          kind: 'spot_pic',
          url: `/api/events/${stored.id}/images/spot_pic`,
          content_type: 'image/jpeg',
          byte_size: byteSize(sample.ext_data.spot_pic),
        },
        {
          kind: 'recognize_face',
          url: `/api/events/${stored.id}/images/recognize_face`,
          content_type: 'image/jpeg',
          byte_size: byteSize(sample.ext_data.recognize_face),
        },
      ],
    });

    const listed = await admin(target).get('/api/hooks?status=delivered').expect(200);
    expect(listed.body.items.find((hook: { id: string }) => hook.id === hookId)).toMatchObject({
      id: hookId,
      status: 'delivered',
      deliveries: expect.arrayContaining([
        expect.objectContaining({ subscriber: 'gallery', status: 'delivered', attempts: 1 }),
        expect.objectContaining({ subscriber: `webhook:${receiver.url}`, status: 'delivered', attempts: 4 }),
      ]),
    });
  });

  it('marks a delivery dead after the last attempt of the schedule, and delivers it again on retry', async () => {
    receiver.answer = () => 503;
    const [stored] = await upload(target, readSample('gallery-update-1002.json'));
    const [hookId] = await hookIdsOf(target.dataSource, stored.id);

    const [dead] = await pollUntil(
      () => webhookDeliveries(target, stored.id),
      (rows) => rows[0]?.status === 'dead',
      { what: 'a dead delivery' },
    );
    // One attempt, then one per entry of the five-entry schedule.
    expect(dead).toMatchObject({ status: 'dead', attempts: 6, last_error: 'the receiver answered HTTP 503' });
    const deadList = await admin(target).get('/api/hooks?status=dead').expect(200);
    expect(deadList.body.items.map((hook: { id: string }) => hook.id)).toEqual([hookId]);
    expect(deadList.body.items[0].deliveries).toContainEqual(
      expect.objectContaining({ subscriber: `webhook:${receiver.url}`, status: 'dead', last_error: 'the receiver answered HTTP 503' }),
    );

    receiver.answer = () => 202;
    const retried = await admin(target).post(`/api/hooks/${hookId}/retry`).expect(200);
    expect(retried.body).toMatchObject({ id: hookId });
    expect(retried.body.status).not.toBe('dead');
    const [delivered] = await pollUntil(
      () => webhookDeliveries(target, stored.id),
      (rows) => rows[0]?.status === 'delivered',
      { what: 'the retried delivery' },
    );
    expect(delivered.attempts).toBe(1);
    expect(receiver.accepted().filter((received) => received.headers['webhook-id'] === hookId)).toHaveLength(1);
    expect((await admin(target).get('/api/hooks?status=dead').expect(200)).body.items).toEqual([]);

    await admin(target).post(`/api/hooks/${hookId}/retry`).expect(409);
  });

  it('answers the admin routes in the error shape: unknown hook, bad id, bad status, no key', async () => {
    const unknown = await admin(target).post('/api/hooks/00000000-0000-4000-8000-000000000000/retry').expect(404);
    expect(unknown.body).toEqual({ status: 404, message: 'there is no hook 00000000-0000-4000-8000-000000000000', errors: [] });
    const badId = await admin(target).post('/api/hooks/17/retry').expect(400);
    expect(badId.body.errors).toEqual([{ field: 'id', message: 'id must be a hook id (a UUID)' }]);
    const badStatus = await admin(target).get('/api/hooks?status=lost').expect(400);
    expect(badStatus.body.errors).toEqual([{ field: 'status', message: 'status must be one of pending, delivered, dead' }]);
    const badCursor = await admin(target).get('/api/hooks?cursor=nonsense').expect(400);
    expect(badCursor.body.errors).toEqual([{ field: 'cursor', message: 'cursor must be a next_cursor value from an earlier page' }]);
    await request(target.app.getHttpServer()).get('/api/hooks').expect(401);
    await request(target.app.getHttpServer()).post('/api/hooks/00000000-0000-4000-8000-000000000000/retry').expect(401);
  });

  it('delivers one hook per stored event: a replayed event causes no second delivery', async () => {
    const event = galleryUpdate('replayed-1', 1_700_000_000_000);
    const [first] = await upload(target, event);
    const [replay] = await upload(target, event);
    expect(replay).toEqual({ id: first.id, result: 'duplicate' });
    const [hookId] = await hookIdsOf(target.dataSource, first.id);
    await pollUntil(
      () => webhookDeliveries(target, first.id),
      (rows) => rows[0]?.status === 'delivered',
    );
    await upload(target, event);
    expect(await hookIdsOf(target.dataSource, first.id)).toEqual([hookId]);
    expect(receiver.received.filter((received) => received.headers['webhook-id'] === hookId)).toHaveLength(1);
  });

  it('delivers the hooks of one identity in order: a later hook waits while an earlier one is retried', async () => {
    const events = [0, 1, 2].map((index) => galleryUpdate('ordered-1', 1_700_000_100_000 + index));
    const other = galleryUpdate('ordered-2', 1_700_000_100_000);
    // The first hook of ordered-1 fails twice; the other identity's hook is not held up by it.
    receiver.answer = ({ body, attempt }) => {
      const { identity, event } = JSON.parse(body);
      return identity.id === 'ordered-1' && event.timestamp === events[0].timestamp && attempt <= 2 ? 500 : 204;
    };
    const results = await upload(target, [...events, other]);
    const hookIds = await Promise.all(results.map(async ({ id }) => (await hookIdsOf(target.dataSource, id))[0]));
    await pollUntil(
      () => webhookDeliveries(target),
      (rows) => hookIds.every((hookId) => rows.some((row) => row.hook_id === hookId && row.status === 'delivered')),
      { what: 'four deliveries' },
    );
    const arrivals = receiver.received.map((received) => String(received.headers['webhook-id'])).filter((id) => hookIds.includes(id));
    const ordered = arrivals.filter((id) => hookIds.slice(0, 3).includes(id));
    expect(ordered).toEqual([hookIds[0], hookIds[0], hookIds[0], hookIds[1], hookIds[2]]);
    expect(arrivals.filter((id) => id === hookIds[3])).toHaveLength(1);
  });

  it('pages through hooks newest first with a cursor, without gaps or repeats', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await admin(target)
        .get(`/api/hooks?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      all.push(...page.body.items.map((hook: { id: string }) => hook.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    const expected: { id: string }[] = await target.dataSource.query(`SELECT "id" FROM "hook" ORDER BY "seq" DESC`);
    expect(all).toEqual(expected.map((row) => row.id));
    expect(all.length).toBeGreaterThan(4);
  });
});

describe('webhook delivery with HOOK_INLINE_IMAGES', () => {
  const receiver = new WebhookReceiver();
  let target: TestApp;

  beforeAll(async () => {
    await receiver.listen();
    target = await createTestApp({
      ...QUICK_HOOKS,
      HOOK_WEBHOOK_URLS: receiver.url,
      HOOK_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      HOOK_INLINE_IMAGES: 'true',
      HOOK_LINK_BASE_URL: 'https://se3.example.com',
    });
  });

  afterAll(async () => {
    await target.close();
    await receiver.close();
  });

  it('puts the images in the message as base64, with absolute links', async () => {
    const sample = readSample<Record<string, any>>('gallery-update-1002.json');
    const [stored] = await upload(target, sample);
    await pollUntil(
      () => receiver.accepted(),
      (accepted) => accepted.length === 1,
    );
    const message = JSON.parse(receiver.accepted()[0].body);
    expect(message.images.map((image: { kind: string; url: string }) => [image.kind, image.url])).toEqual([
      ['reg_pic', `https://se3.example.com/api/events/${stored.id}/images/reg_pic`],
      ['spot_pic', `https://se3.example.com/api/events/${stored.id}/images/spot_pic`],
      ['recognize_face', `https://se3.example.com/api/events/${stored.id}/images/recognize_face`],
    ]);
    expect(message.images.map((image: { data_base64: string }) => image.data_base64)).toEqual([
      sample.reg_pic,
      sample.ext_data.spot_pic,
      sample.ext_data.recognize_face,
    ]);
  });
});

describe('webhook delivery at shutdown', () => {
  it('finishes and records the delivery under way before the app closes', async () => {
    const receiver = new WebhookReceiver();
    let answer!: (status: number) => void;
    receiver.answer = () => new Promise<number>((resolve) => (answer = resolve));
    await receiver.listen();
    const target = await createTestApp({ ...QUICK_HOOKS, HOOK_WEBHOOK_URLS: receiver.url, HOOK_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
    const { dataSource } = target;
    try {
      const [stored] = await upload(target, readSample('gallery-update-1002.json'));
      await pollUntil(
        () => receiver.received,
        (requests) => requests.length === 1,
        { what: 'the attempt under way' },
      );
      // Closing while the receiver has not answered yet: the delivery is finished and recorded first.
      const closing = target.app.close();
      answer(200);
      await closing;
      const check = await createTestApp({ HOOK_DISPATCHER_ENABLED: 'false' }, { database: target.database });
      try {
        expect((await webhookDeliveries(check, stored.id))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
      } finally {
        await check.close();
      }
    } finally {
      if (dataSource.isInitialized) await target.app.close();
      await target.database.drop();
      await receiver.close();
    }
  });
});

describe('a delivery whose every attempt was cut short', () => {
  it('is dead once a claim finds its last attempt never finished, without attempting it again', async () => {
    const receiver = new WebhookReceiver();
    await receiver.listen();
    const target = await createTestApp({ ...QUICK_HOOKS, HOOK_WEBHOOK_URLS: receiver.url, HOOK_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
    try {
      const [stored] = await upload(target, galleryUpdate('cut-short', 1_700_000_200_000));
      await pollUntil(
        () => webhookDeliveries(target, stored.id),
        (rows) => rows[0]?.status === 'delivered',
      );
      // As if all six attempts (the first and five retries) had been claimed by instances that died, the last lease over.
      await target.dataSource.query(
        `UPDATE "hook_delivery" SET "status" = 'pending', "attempts" = 6, "claimed_until" = now() - interval '1 second',
                "claim_token" = gen_random_uuid(), "next_attempt_at" = now() - interval '1 minute'
          WHERE "subscriber" LIKE 'webhook:%'`,
      );
      const [dead] = await pollUntil(
        () => webhookDeliveries(target, stored.id),
        (rows) => rows[0]?.status === 'dead',
      );
      expect(dead).toMatchObject({ attempts: 7, last_error: 'the last attempt never finished (the instance attempting it stopped)' });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await target.close();
      await receiver.close();
    }
  });
});

describe('waking the dispatcher', () => {
  it('delivers a new hook at once, through NOTIFY, although the poll interval is an hour', async () => {
    const receiver = new WebhookReceiver();
    await receiver.listen();
    const target = await createTestApp({
      ...QUICK_HOOKS,
      HOOK_POLL_INTERVAL: '1h',
      HOOK_WEBHOOK_URLS: receiver.url,
      HOOK_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    });
    try {
      // The LISTEN connection is up once nobody else holds the first (start-up) wake-up.
      await pollUntil(
        () =>
          target.dataSource.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN se3_hook_created'`,
          ),
        ([{ n }]) => n === 1,
      );
      const [stored] = await upload(target, galleryUpdate('woken', 1_700_000_300_000));
      const [hookId] = await hookIdsOf(target.dataSource, stored.id);
      await pollUntil(
        () => receiver.accepted(),
        (accepted) => accepted.length === 1,
        { timeoutMs: 10_000 },
      );
      expect(receiver.accepted()[0].headers['webhook-id']).toBe(hookId);
    } finally {
      await target.close();
      await receiver.close();
    }
  });
});
