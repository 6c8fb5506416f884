import http, { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import request from 'supertest';
import { chunk } from '../src/events/stored-events.notifier';
import { CONSOLE_DIST } from '../src/console/console-static';
import { adminGet, eventOf, upload } from './support/admin-api';
import { QUICK_HOOKS } from './support/hooks';
import { pollUntil } from './support/poll';
import { sampleEvent } from './support/samples';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';

const SECOND_KEY = 'second-admin-key-0123456789';

/** The session cookie's `name=value` from a sign-in answer. */
function cookieOf(response: request.Response): string {
  const header = ([] as string[]).concat(response.headers['set-cookie'] ?? [])[0] ?? '';
  return header.split(';')[0];
}

async function signIn(target: TestApp, key = TEST_ADMIN_KEY): Promise<{ cookie: string; setCookie: string }> {
  const response = await request(target.app.getHttpServer()).post('/api/session').send({ key }).expect(200);
  return { cookie: cookieOf(response), setCookie: ([] as string[]).concat(response.headers['set-cookie'])[0] };
}

describe('console sign-in attempts', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp({ ADMIN_AUTH_FAILURES_PER_MINUTE: '3' });
  });

  afterAll(async () => {
    await target.close();
  });

  it('count wrong keys as failed authentications of the address (429 past the budget), which do not lock out the right key', async () => {
    const attempt = (key: string) => request(target.app.getHttpServer()).post('/api/session').send({ key });
    for (let tries = 0; tries < 3; tries++) await attempt('wrong-key-0123456789abcdef').expect(401);
    const refused = await attempt('wrong-key-0123456789abcdef').expect(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect((await attempt(TEST_ADMIN_KEY).expect(200)).body).toMatchObject({ via: 'session' });
  });
});

describe('console sign-in (session cookie)', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp({ ADMIN_API_KEYS: `${TEST_ADMIN_KEY},${SECOND_KEY}`, CONSOLE_SESSION_TTL: '1h' });
  });

  afterAll(async () => {
    await target.close();
  });

  const server = () => target.app.getHttpServer();

  it('exchanges a valid key for an HttpOnly, SameSite=Strict cookie on /api, and keeps only its hash', async () => {
    const response = await request(server()).post('/api/session').send({ key: TEST_ADMIN_KEY }).expect(200);
    const setCookie = ([] as string[]).concat(response.headers['set-cookie'])[0];
    expect(setCookie).toMatch(/^se3_session=[A-Za-z0-9_-]{43}; Path=\/api; Max-Age=3600; HttpOnly; SameSite=Strict$/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({ via: 'session', key_id: expect.stringMatching(/^[0-9a-f]{16}$/), expires_at: expect.any(String) });
    const token = cookieOf(response).split('=')[1];
    const rows = await target.dataSource.query('SELECT token_hash, key_id FROM console_session');
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash.equals(Buffer.from(token))).toBe(false);
    expect(rows[0].token_hash).toHaveLength(32);
    expect(JSON.stringify(rows)).not.toContain(TEST_ADMIN_KEY);
  });

  it('marks the cookie Secure when the request came over HTTPS through a trusted proxy', async () => {
    const proxied = await createTestApp({ TRUSTED_PROXIES: '127.0.0.1/8,::1/128' }, { database: target.database });
    try {
      const response = await request(proxied.app.getHttpServer())
        .post('/api/session')
        .set('X-Forwarded-Proto', 'https')
        .send({ key: TEST_ADMIN_KEY })
        .expect(200);
      expect(([] as string[]).concat(response.headers['set-cookie'])[0]).toMatch(/; Secure$/);
    } finally {
      await proxied.close();
    }
  });

  it('refuses a wrong key (401), a missing key (400 naming key), a body that is not JSON (415), too large (413)', async () => {
    const wrong = await request(server()).post('/api/session').send({ key: 'not-the-key-0123456789' }).expect(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.body).toEqual({ status: 401, message: 'the key is not an admin API key', errors: [] });
    const missing = await request(server()).post('/api/session').send({ secret: TEST_ADMIN_KEY }).expect(400);
    expect(missing.body.errors).toEqual([
      { field: 'secret', message: 'property secret should not exist' },
      { field: 'key', message: 'key must be an admin API key, as text of 1 to 1024 characters' },
    ]);
    const tooLong = await request(server())
      .post('/api/session')
      .send({ key: 'k'.repeat(5000) })
      .expect(400);
    expect(tooLong.body.errors).toEqual([{ field: 'key', message: 'key must be an admin API key, as text of 1 to 1024 characters' }]);
    await request(server()).post('/api/session').type('form').send(`key=${TEST_ADMIN_KEY}`).expect(415);
    await request(server()).post('/api/session').set('Content-Type', 'text/plain').send(TEST_ADMIN_KEY).expect(415);
    // Over ADMIN_BODY_LIMIT (16 KB): refused before it is parsed.
    await request(server())
      .post('/api/session')
      .send({ key: 'k'.repeat(20_000) })
      .expect(413);
    const broken = await request(server()).post('/api/session').set('Content-Type', 'application/json').send('{"key":').expect(400);
    expect(broken.body.message).toContain('not valid JSON');
  });

  it('opens the admin API with the cookie: lists, images, who is signed in', async () => {
    const [stored] = await upload(target, sampleEvent('snapcam-stranger-1001.json'));
    const { cookie } = await signIn(target);
    const me = await request(server()).get('/api/session').set('Cookie', cookie).expect(200);
    expect(me.body).toMatchObject({ via: 'session', expires_at: expect.any(String) });
    await request(server()).get('/api/events').set('Cookie', cookie).expect(200);
    const image = await request(server()).get(`/api/events/${stored.id}/images/spot_pic`).set('Cookie', cookie).expect(200);
    expect(image.headers['cache-control']).toBe('private, no-cache');
    const bearer = await adminGet(target, '/api/session').expect(200);
    expect(bearer.body).toEqual({ via: 'bearer', key_id: me.body.key_id, expires_at: null });
  });

  it('refuses a cookie-authenticated request that changes something without the console header (403), or from another site', async () => {
    const { cookie } = await signIn(target);
    const refused = await request(server()).post('/api/quarantine/1/replay').set('Cookie', cookie).expect(403);
    expect(refused.body.message).toContain('x-se3-console');
    await request(server())
      .post('/api/quarantine/1/replay')
      .set('Cookie', cookie)
      .set('X-SE3-Console', '1')
      .set('Sec-Fetch-Site', 'cross-site')
      .expect(403);
    // With the header, the request reaches the route (no such quarantined event).
    await request(server()).post('/api/quarantine/1/replay').set('Cookie', cookie).set('X-SE3-Console', '1').expect(404);
  });

  it('does not fall back to the cookie when a wrong bearer key is given', async () => {
    const { cookie } = await signIn(target);
    await request(server()).get('/api/events').set('Cookie', cookie).set('Authorization', 'Bearer wrong-key-0123456789').expect(401);
  });

  it('signs out: the cookie is cleared and the session, images included, is closed at once', async () => {
    const [stored] = await upload(target, sampleEvent('snapcam-stranger-1001.json'));
    const { cookie } = await signIn(target);
    await request(server()).get(`/api/events/${stored.id}/images/spot_pic/thumbnail`).set('Cookie', cookie).expect(200);
    await request(server()).delete('/api/session').set('Cookie', cookie).expect(403);
    const out = await request(server()).delete('/api/session').set('Cookie', cookie).set('X-SE3-Console', '1').expect(204);
    expect(([] as string[]).concat(out.headers['set-cookie'])[0]).toMatch(
      /^se3_session=; Path=\/api; Max-Age=0; HttpOnly; SameSite=Strict/,
    );
    await request(server()).get(`/api/events/${stored.id}/images/spot_pic/thumbnail`).set('Cookie', cookie).expect(401);
    await request(server()).get('/api/events').set('Cookie', cookie).expect(401);
  });

  it('ends a session when it expires, and when its key is no longer configured', async () => {
    const { cookie } = await signIn(target, SECOND_KEY);
    const hash = (await target.dataSource.query(`SELECT token_hash FROM console_session ORDER BY created_at DESC LIMIT 1`))[0].token_hash;
    await target.dataSource.query(`UPDATE console_session SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hash]);
    // An instance that checked the session in the last 5 s believes it that long.
    await pollUntil(
      async () => (await request(server()).get('/api/events').set('Cookie', cookie)).status,
      (status) => status === 401,
      { timeoutMs: 8_000, what: 'the expired session refused' },
    );

    const { cookie: other } = await signIn(target, SECOND_KEY);
    const rotated = await createTestApp({ ADMIN_API_KEYS: TEST_ADMIN_KEY }, { database: target.database });
    try {
      await request(rotated.app.getHttpServer()).get('/api/events').set('Cookie', other).expect(401);
    } finally {
      await rotated.close();
    }
  });
});

describe('thumbnails', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp(QUICK_HOOKS);
  });

  afterAll(async () => {
    await target.close();
  });

  it('makes a small WebP of an image once, keeps it, and answers 304 to its ETag', async () => {
    const [stored] = await upload(target, sampleEvent('snapcam-stranger-1001.json'));
    const path = `/api/events/${stored.id}/images/spot_pic/thumbnail`;
    const first = await adminGet(target, path, { size: 192 }).buffer(true).expect(200);
    expect(first.headers['content-type']).toBe('image/webp');
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const meta = await sharp(first.body as Buffer).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.max(meta.width, meta.height)).toBe(192);
    expect((first.body as Buffer).length).toBeLessThan(8_000);
    const [{ sha256 }] = await target.dataSource.query(
      `SELECT encode(sha256, 'hex') AS sha256 FROM history_event_image WHERE event_id = $1 AND kind = 'spot_pic'`,
      [stored.id],
    );
    expect(first.headers.etag).toBe(`"${sha256}-192-w1"`);
    const kept = await target.dataSource.query(`SELECT size, content_type FROM event_image_thumbnail WHERE event_id = $1`, [stored.id]);
    expect(kept).toEqual([{ size: 192, content_type: 'image/webp' }]);
    await adminGet(target, path, { size: 192 }).set('If-None-Match', first.headers.etag).expect(304);
    const small = await adminGet(target, path, { size: 96 }).buffer(true).expect(200);
    expect(Math.max((await sharp(small.body as Buffer).metadata()).width, 1)).toBeLessThanOrEqual(96);
  });

  it('makes the thumbnail again when the image bytes changed (another sha256)', async () => {
    const [stored] = await upload(target, { ...sampleEvent('snapcam-stranger-1001.json'), timestamp: 1602612099999 });
    const path = `/api/events/${stored.id}/images/spot_pic/thumbnail`;
    await adminGet(target, path).expect(200);
    const png = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    await target.dataSource.query(
      `UPDATE history_event_image SET data = $2, sha256 = sha256($2), content_type = 'image/png' WHERE event_id = $1 AND kind = 'spot_pic'`,
      [stored.id, png],
    );
    const again = await adminGet(target, path).buffer(true).expect(200);
    expect((await sharp(again.body as Buffer).metadata()).width).toBe(192);
    const [row] = await target.dataSource.query(
      `SELECT t.source_sha256 = i.sha256 AS fresh FROM event_image_thumbnail t JOIN history_event_image i USING (event_id, kind) WHERE t.event_id = $1`,
      [stored.id],
    );
    expect(row.fresh).toBe(true);
  });

  it('goes with its image (retention), and answers 404 for an empty or missing image, 400 for a bad size, 422 for bytes that do not decode', async () => {
    const [stored] = await upload(target, { ...sampleEvent('snapcam-stranger-1001.json'), timestamp: 1602612088888 });
    await adminGet(target, `/api/events/${stored.id}/images/recognize_face/thumbnail`).expect(200);
    await target.dataSource.query(`DELETE FROM history_event_image WHERE event_id = $1 AND kind = 'recognize_face'`, [stored.id]);
    expect(
      await target.dataSource.query(`SELECT 1 FROM event_image_thumbnail WHERE event_id = $1 AND kind = 'recognize_face'`, [stored.id]),
    ).toEqual([]);
    await adminGet(target, `/api/events/${stored.id}/images/recognize_face/thumbnail`).expect(404);
    await adminGet(target, `/api/events/${stored.id}/images/reg_pic/thumbnail`).expect(404);
    await adminGet(target, '/api/events/999999/images/spot_pic/thumbnail').expect(404);
    const badSize = await adminGet(target, `/api/events/${stored.id}/images/spot_pic/thumbnail`, { size: 1000 }).expect(400);
    expect(badSize.body.errors).toEqual([{ field: 'size', message: 'size must be one of 96, 192, 384' }]);
    await target.dataSource.query(
      `UPDATE history_event_image SET data = $2, sha256 = sha256($2) WHERE event_id = $1 AND kind = 'spot_pic'`,
      [stored.id, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)])],
    );
    const broken = await adminGet(target, `/api/events/${stored.id}/images/spot_pic/thumbnail`).expect(422);
    expect(broken.body.message).toContain('could not be made into a thumbnail');
  });

  it('makes thumbnails of gallery faces, the current one and any of the history', async () => {
    const [stored] = await upload(target, { ...sampleEvent('snapcam-stranger-1001.json'), timestamp: 1602612077777 });
    const identities = await pollUntil(
      async () => (await adminGet(target, '/api/identities').expect(200)).body.items,
      (items: { id: string; face_thumbnail_url: string }[]) => items.length > 0,
      { what: 'a registered identity' },
    );
    const current = await adminGet(target, identities[0].face_thumbnail_url, { size: 96 }).buffer(true).expect(200);
    expect(current.headers['content-type']).toBe('image/webp');
    const detail = await adminGet(target, `/api/identities/${identities[0].id}`).expect(200);
    const face = detail.body.faces[0];
    expect(face.thumbnail_url).toBe(`/api/gallery/faces/${face.id}/thumbnail`);
    await adminGet(target, face.thumbnail_url).expect(200);
    await adminGet(target, '/api/gallery/faces/999999/thumbnail').expect(404);
    expect(stored.result).toBe('stored');
  });

  it('answers many thumbnails in one request, the same bytes as the single route, leaving out what does not exist', async () => {
    const [first, second] = await upload(target, [
      { ...sampleEvent('snapcam-stranger-1001.json'), timestamp: 1602612011111 },
      { ...sampleEvent('snapcam-stranger-1001.json'), timestamp: 1602612022222 },
    ]);
    const single = await adminGet(target, `/api/events/${first.id}/images/recognize_face/thumbnail`, { size: 96 }).buffer(true).expect(200);
    const batch = await adminGet(target, '/api/thumbnails', {
      images: `${first.id}:recognize_face,${second.id}:spot_pic,${second.id}:reg_pic,999999:spot_pic`,
      size: 96,
    }).expect(200);
    expect(batch.headers['cache-control']).toBe('private, no-store');
    expect(batch.body.items.map((item: { event_id: string; kind: string }) => `${item.event_id}:${item.kind}`)).toEqual([
      `${first.id}:recognize_face`,
      `${second.id}:spot_pic`,
    ]);
    expect(batch.body.items[0]).toEqual({
      event_id: first.id,
      kind: 'recognize_face',
      etag: single.headers.etag,
      content_type: 'image/webp',
      data_base64: (single.body as Buffer).toString('base64'),
    });
    const made = await target.dataSource.query(
      `SELECT 1 FROM event_image_thumbnail WHERE event_id = $1 AND kind = 'spot_pic' AND size = 96`,
      [second.id],
    );
    expect(made).toHaveLength(1);
    const bad = await adminGet(target, '/api/thumbnails', { images: `${first.id}:face` }).expect(400);
    expect(bad.body.errors[0].field).toBe('images');
    const tooMany = Array.from({ length: 101 }, (_, index) => `${index + 1}:spot_pic`).join(',');
    await adminGet(target, '/api/thumbnails', { images: tooMany }).expect(400);
  });

  it('is rate-limited apart from the admin API (ADMIN_IMAGE_RATE_LIMIT_PER_MINUTE)', async () => {
    const limited = await createTestApp(
      { ADMIN_RATE_LIMIT_PER_MINUTE: '3', ADMIN_IMAGE_RATE_LIMIT_PER_MINUTE: '5' },
      { database: target.database },
    );
    try {
      const [stored] = await upload(limited, { ...sampleEvent('snapcam-stranger-1001.json'), timestamp: 1602612066666 });
      const thumbnail = () => adminGet(limited, `/api/events/${stored.id}/images/spot_pic/thumbnail`);
      for (let i = 0; i < 5; i++) await thumbnail().expect(200);
      await thumbnail().expect(429);
      for (let i = 0; i < 3; i++) await adminGet(limited, '/api/events').expect(200);
      await adminGet(limited, '/api/events').expect(429);
    } finally {
      await limited.close();
    }
  });
});

/** Reads server-sent events from the service until `until` holds for the messages so far. */
function readStream(
  port: number,
  headers: Record<string, string>,
  until: (messages: { event: string; data: any }[]) => boolean,
  timeoutMs = 10_000,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; messages: { event: string; data: any }[] }> {
  return new Promise((resolve, reject) => {
    const messages: { event: string; data: any }[] = [];
    const req = http.get({ host: '127.0.0.1', port, path: '/api/live', headers }, (res) => {
      let buffer = '';
      const done = () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, messages });
      };
      if (res.statusCode !== 200) return done();
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) messages.push({ event, data: JSON.parse(data) });
        }
        if (until(messages)) done();
      });
      res.on('end', done);
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`the stream did not bring the expected messages in ${timeoutMs} ms: ${JSON.stringify(messages).slice(0, 500)}`));
    }, timeoutMs);
    req.on('error', (error) => (messages.length > 0 ? undefined : reject(error)));
  });
}

describe('live feed (server-sent events over LISTEN/NOTIFY)', () => {
  let first: TestApp;
  let second: TestApp;
  let firstPort: number;
  let secondPort: number;

  beforeAll(async () => {
    first = await createTestApp();
    second = await createTestApp({}, { database: first.database });
    const listen = async (target: TestApp) => {
      await target.app.listen(0, '127.0.0.1');
      return ((target.app.getHttpServer() as unknown as Server).address() as AddressInfo).port;
    };
    firstPort = await listen(first);
    secondPort = await listen(second);
  });

  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('needs the admin key or a session', async () => {
    const refused = await readStream(firstPort, {}, () => true);
    expect(refused.status).toBe(401);
  });

  it('delivers an event stored by one instance to the streams of every instance, within 2 s', async () => {
    const auth = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
    const arrived = (id: () => string | undefined) => (messages: { event: string; data: any }[]) =>
      messages.some((message) => message.event === 'events' && message.data.items.some((item: { id: string }) => item.id === id()));
    let storedId: string | undefined;
    const started = Date.now();
    const streams = Promise.all([
      readStream(
        firstPort,
        auth,
        arrived(() => storedId),
      ),
      readStream(
        secondPort,
        auth,
        arrived(() => storedId),
      ),
    ]);
    // Both streams are open (their first message is the retry hint) before the upload.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [stored] = await upload(first, sampleEvent('snapcam-stranger-1001.json'));
    storedId = stored.id;
    const [onFirst, onSecond] = await streams;
    expect(Date.now() - started).toBeLessThan(2_300);
    for (const stream of [onFirst, onSecond]) {
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      const item = stream.messages
        .flatMap((message) => message.data.items ?? [])
        .find((candidate: { id: string }) => candidate.id === stored.id);
      expect(item).toMatchObject({
        id: stored.id,
        want_action: '1001',
        fiqa_result: true,
        images: { recognize_face: { thumbnail_url: `/api/events/${stored.id}/images/recognize_face/thumbnail` } },
      });
    }
  });

  it('tells of quarantined events, and not of duplicates', async () => {
    const auth = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
    const stream = readStream(secondPort, auth, (messages) => messages.some((message) => message.event === 'quarantined'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [bad] = await upload(first, {
      ...eventOf({ timestamp: 1700000000000 }),
      ext_data: { ...eventOf({ timestamp: 1 }).ext_data, person_type: 9 },
    });
    expect(bad.result).toBe('quarantined');
    const { messages } = await stream;
    expect(messages.find((message) => message.event === 'quarantined')!.data).toEqual({ ids: [bad.id] });
  });

  it("ends a console session's stream at once when the session is signed out", async () => {
    const signedIn = await request(first.app.getHttpServer()).post('/api/session').send({ key: TEST_ADMIN_KEY }).expect(200);
    const cookie = cookieOf(signedIn);
    const stream = readStream(
      firstPort,
      { Cookie: cookie },
      (messages) => messages.some((message) => message.event === 'signed-out'),
      5_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await request(first.app.getHttpServer()).delete('/api/session').set('Cookie', cookie).set('X-SE3-Console', '1').expect(204);
    const { messages } = await stream;
    expect(messages.map((message) => message.event)).toContain('signed-out');
  });

  it('splits a long list of ids into NOTIFY payloads under 8000 bytes', () => {
    const ids = Array.from({ length: 3000 }, (_, index) => String(1_000_000_000 + index));
    const payloads = chunk(ids, ['5']);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    const parsed = payloads.map((payload) => JSON.parse(payload));
    expect(parsed.flatMap((notice) => notice.e)).toEqual(ids);
    expect(parsed.flatMap((notice) => notice.q)).toEqual(['5']);
  });
});

describe('the console files, at /console/', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp();
  });

  afterAll(async () => {
    await target.close();
  });

  const server = () => target.app.getHttpServer();

  it('is opened from / and /console', async () => {
    expect((await request(server()).get('/').expect(302)).headers.location).toBe('/console/');
    expect((await request(server()).get('/console').expect(301)).headers.location).toBe('/console/');
  });

  it('answers index.html for the console routes, never for /api, /docs, uploads or /metrics', async () => {
    const built = await request(server()).get('/console/');
    if (built.status === 503) {
      expect(built.body.message).toBe('the console is not built: run npm run build');
      return;
    }
    expect(built.status).toBe(200);
    for (const path of ['/console/', '/console/events', '/console/events?person_type=4', '/console/people/abc']) {
      const page = await request(server()).get(path).expect(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(page.text).toContain('<div id="root">');
    }
    await request(server()).get('/console/assets/missing-0000.js').expect(404);
    await request(server()).get('/console/favicon-missing.png').expect(404);
    for (const path of ['/api/nothing', '/api/console/events', '/docs/nothing', '/EventServer/api/nothing']) {
      const answer = await request(server()).get(path);
      expect({ path, type: answer.headers['content-type'] }).toEqual({ path, type: expect.stringContaining('application/json') });
      expect(answer.body).toMatchObject({ status: expect.any(Number), errors: [] });
    }
    await request(server()).get('/docs-json').expect(200).expect('Content-Type', /json/);
    await request(server())
      .get('/metrics')
      .expect(200)
      .expect('Content-Type', /text\/plain/);
    const notFound = await request(server()).get('/nothing-here').expect(404);
    expect(notFound.body.status).toBe(404);
    expect(CONSOLE_DIST).toMatch(/web[/\\]dist$/);
  });

  it('caches hashed assets for a year', async () => {
    const page = await request(server()).get('/console/');
    const asset = /\/console\/assets\/[^"]+\.js/.exec(page.text)?.[0];
    if (page.status !== 200 || !asset) return expect(page.status).toBe(503);
    const script = await request(server()).get(asset).expect(200);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.headers['content-type']).toContain('javascript');
  });
});

describe('what the console reads besides the lists', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp(QUICK_HOOKS);
  });

  afterAll(async () => {
    await target.close();
  });

  it('lists the stranger registrations with their outcome, refused ones with the reason', async () => {
    const [good] = await upload(target, sampleEvent('snapcam-stranger-1001.json'));
    const [poor] = await upload(target, sampleEvent('snapcam-stranger-1001-poor-quality.json'));
    const page = await pollUntil(
      async () => (await adminGet(target, '/api/gallery/registrations').expect(200)).body,
      (body: { items: { outcome: string; event: { id: string } }[] }) =>
        body.items.length === 2 && body.items.every((item) => item.outcome !== 'pending'),
      { what: 'both registrations handled' },
    );
    const byId = new Map(page.items.map((item: { event: { id: string } }) => [item.event.id, item]));
    expect(byId.get(good.id)).toMatchObject({ outcome: 'registered', reason: null, gallery_identity_id: expect.any(String) });
    expect(byId.get(poor.id)).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('quality'), gallery_identity_id: null });
    const rejected = await adminGet(target, '/api/gallery/registrations', { outcome: 'rejected' }).expect(200);
    expect(rejected.body.items.map((item: { event: { id: string } }) => item.event.id)).toEqual([poor.id]);
    const onePerPage = await adminGet(target, '/api/gallery/registrations', { limit: 1 }).expect(200);
    expect(onePerPage.body.next_cursor).toEqual(expect.any(String));
    const next = await adminGet(target, '/api/gallery/registrations', { limit: 1, cursor: onePerPage.body.next_cursor }).expect(200);
    expect(next.body.items).toHaveLength(1);
    expect(next.body.items[0].event.id).not.toBe(onePerPage.body.items[0].event.id);
    const bad = await adminGet(target, '/api/gallery/registrations', { outcome: 'maybe' }).expect(400);
    expect(bad.body.errors[0].field).toBe('outcome');

    const now = Date.now();
    const summary = await adminGet(target, '/api/gallery/summary', { from: now - 3_600_000, to: now + 60_000 }).expect(200);
    expect(summary.body.outcomes).toMatchObject({ registered: 1, rejected: 1, face_replaced: 0 });
    const changes = await adminGet(target, '/api/gallery/changes', { event_id: poor.id }).expect(200);
    expect(changes.body.items).toEqual([expect.objectContaining({ outcome: 'rejected', event_id: poor.id })]);
  });

  it('lists the hooks of one event, with the status filters', async () => {
    const [stored] = await upload(target, { ...sampleEvent('snapcam-stranger-1001.json'), timestamp: 1602612055555 });
    await upload(target, { ...sampleEvent('snapcam-stranger-1001.json'), timestamp: 1602612044444 });
    const hooks = await pollUntil(
      async () => (await adminGet(target, '/api/hooks', { event_id: stored.id }).expect(200)).body.items,
      (items: { status: string }[]) => items.length === 1 && items[0].status === 'delivered',
      { what: 'the hook of the event delivered' },
    );
    expect(hooks[0]).toMatchObject({ event_id: stored.id, type: 'stranger.registration' });
    expect((await adminGet(target, '/api/hooks', { event_id: stored.id, status: 'dead' }).expect(200)).body.items).toEqual([]);
    expect((await adminGet(target, '/api/hooks', { event_id: stored.id, status: 'delivered' }).expect(200)).body.items).toHaveLength(1);
    const bad = await adminGet(target, '/api/hooks', { event_id: 'x' }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'event_id', message: 'event_id must be an event id (a positive whole number)' }]);
  });

  it("counts one person's events per day in a time zone", async () => {
    const day = Date.UTC(2024, 2, 10, 12);
    await upload(target, [
      eventOf({ timestamp: day, identity_id: 'p-1' }),
      eventOf({ timestamp: day + 60_000, identity_id: 'p-1' }),
      eventOf({ timestamp: day + 86_400_000, identity_id: 'p-1' }),
      eventOf({ timestamp: day, identity_id: 'p-2' }),
    ]);
    const summary = await adminGet(target, '/api/events/summary', {
      from: day - 86_400_000,
      to: day + 3 * 86_400_000,
      tz: 'Asia/Shanghai',
      identity_id: 'p-1',
    }).expect(200);
    expect(summary.body.buckets).toEqual([
      { start: '2024-03-10T00:00:00+08:00', total: 2 },
      { start: '2024-03-11T00:00:00+08:00', total: 1 },
    ]);
  });

  it('adds the face-quality verdict and thumbnail links to list items', async () => {
    const [stored] = await upload(target, { ...sampleEvent('snapcam-stranger-1001-poor-quality.json'), timestamp: 1602612033333 });
    const item = (await adminGet(target, '/api/events', { limit: 500 }).expect(200)).body.items.find(
      (candidate: { id: string }) => candidate.id === stored.id,
    );
    expect(item.fiqa_result).toBe(false);
    expect(item.images.spot_pic.thumbnail_url).toBe(`/api/events/${stored.id}/images/spot_pic/thumbnail`);
    expect((await adminGet(target, `/api/events/${stored.id}`).expect(200)).body.fiqa_result).toBe(false);
  });
});
