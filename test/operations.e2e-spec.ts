import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { pollUntil } from './support/poll';
import { freshEvent } from './support/samples';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';

/** The value of one series in a Prometheus text exposition, or undefined. */
function metricValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('operations', () => {
  describe('health', () => {
    it('is live, and ready once the database answers and the migrations are applied', async () => {
      const target = await createTestApp();
      try {
        const server = target.app.getHttpServer();
        expect((await request(server).get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
        const ready = await request(server).get('/health/ready').expect(200);
        expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, migrations: { status: 'up' } } });
      } finally {
        await target.close();
      }
    });

    it('is not ready while migrations are pending, saying why in the error shape', async () => {
      const target = await createTestApp({ MIGRATIONS_RUN: 'false' }, { emptyDatabase: true });
      try {
        const response = await request(target.app.getHttpServer()).get('/health/ready').expect(503);
        expect(response.body).toEqual({
          status: 503,
          message: 'not ready: migrations down',
          errors: [{ field: 'migrations', message: 'migrations are pending' }],
        });
      } finally {
        await target.close();
      }
    });
  });

  describe('metrics, headers and CORS', () => {
    let target: TestApp;

    beforeAll(async () => {
      target = await createTestApp({ CORS_ORIGINS: 'https://admin.example.com' });
    });

    afterAll(async () => {
      await target.close();
    });

    it('counts events by result, device type and person type, times uploads and sizes their bodies', async () => {
      const server = target.app.getHttpServer();
      const stored = freshEvent('snapcam-stranger-1001.json');
      const quarantined = { ...freshEvent(), score: 'high' };
      await request(server).post(HISTORY_EVENT_PATH).send([stored, freshEvent(), quarantined]).expect(200);
      await request(server).post(HISTORY_EVENT_PATH).send(stored).expect(200);

      const text = (
        await request(server)
          .get('/metrics')
          .expect(200)
          .expect('Content-Type', /text\/plain/)
      ).text;
      expect(metricValue(text, 'se3_ingest_events_total{result="stored",device_type="1",person_type="4"}')).toBe(1);
      expect(metricValue(text, 'se3_ingest_events_total{result="stored",device_type="0",person_type="1"}')).toBe(1);
      expect(metricValue(text, 'se3_ingest_events_total{result="duplicate",device_type="1",person_type="4"}')).toBe(1);
      expect(metricValue(text, 'se3_ingest_events_total{result="quarantined",device_type="0",person_type="1"}')).toBe(1);
      expect(metricValue(text, 'se3_ingest_request_duration_seconds_count{status="2xx"}')).toBe(2);
      expect(metricValue(text, 'se3_ingest_request_body_bytes_count')).toBe(2);
      expect(metricValue(text, 'se3_ingest_request_body_bytes_sum')).toBeGreaterThan(150_000);
      // The pool has opened connections; how many are idle at the scrape depends on background work.
      const inUse = metricValue(text, 'se3_db_pool_connections{state="in_use"}')!;
      const idle = metricValue(text, 'se3_db_pool_connections{state="idle"}')!;
      expect(inUse + idle).toBeGreaterThanOrEqual(1);
      expect(metricValue(text, 'se3_db_pool_connections{state="waiting"}')).toBeGreaterThanOrEqual(0);
      expect(metricValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    });

    it('keeps label values bounded whatever device_type a box sends', async () => {
      const server = target.app.getHttpServer();
      const odd = freshEvent();
      odd.ext_data = { ...odd.ext_data, device_type: 'made-up-type' };
      await request(server).post(HISTORY_EVENT_PATH).send(odd).expect(200);
      const text = (await request(server).get('/metrics').expect(200)).text;
      expect(text).not.toContain('made-up-type');
      expect(metricValue(text, 'se3_ingest_events_total{result="stored",device_type="other",person_type="1"}')).toBe(1);
    });

    it('counts events refused under INVALID_EVENT_POLICY=reject as rejected', async () => {
      const strict = await createTestApp({ INVALID_EVENT_POLICY: 'reject' });
      try {
        const server = strict.app.getHttpServer();
        await request(server)
          .post(HISTORY_EVENT_PATH)
          .send([freshEvent(), { ...freshEvent(), score: 'x' }])
          .expect(400);
        const text = (await request(server).get('/metrics').expect(200)).text;
        expect(metricValue(text, 'se3_ingest_events_total{result="rejected",device_type="0",person_type="1"}')).toBe(2);
        expect(metricValue(text, 'se3_ingest_request_duration_seconds_count{status="4xx"}')).toBe(1);
      } finally {
        await strict.close();
      }
    });

    it('counts hook deliveries as they happen and shows the backlog by state', async () => {
      const server = target.app.getHttpServer();
      await request(server).post(HISTORY_EVENT_PATH).send(freshEvent('gallery-update-1002.json')).expect(200);
      const text = await pollUntil(
        async () => (await request(server).get('/metrics').expect(200)).text,
        (scrape) => metricValue(scrape, 'se3_hook_delivery_attempts_total{outcome="delivered"}') === 2,
        { what: 'the 1001 and 1002 hooks delivered to the gallery' },
      );
      expect(metricValue(text, 'se3_hooks{state="pending"}')).toBe(0);
      expect(metricValue(text, 'se3_hooks{state="dead"}')).toBe(0);
      expect(metricValue(text, 'se3_hooks{state="awaiting_fan_out"}')).toBe(0);
    });

    it('sends the standard security headers and a request id', async () => {
      const response = await request(target.app.getHttpServer()).get('/health/live').expect(200);
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age='),
        'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(response.headers['x-powered-by']).toBeUndefined();
      const echoed = await request(target.app.getHttpServer()).get('/health/live').set('X-Request-Id', 'box-42.req-7').expect(200);
      expect(echoed.headers['x-request-id']).toBe('box-42.req-7');
    });

    it('answers CORS only for the configured origins', async () => {
      const allowed = await request(target.app.getHttpServer()).get('/health/live').set('Origin', 'https://admin.example.com');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.example.com');
      const other = await request(target.app.getHttpServer()).get('/health/live').set('Origin', 'https://evil.example.com');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('has CORS off by default', async () => {
      const plain = await createTestApp();
      try {
        const response = await request(plain.app.getHttpServer()).get('/health/live').set('Origin', 'https://admin.example.com');
        expect(response.headers['access-control-allow-origin']).toBeUndefined();
      } finally {
        await plain.close();
      }
    });
  });
});

describe('the admin API rate limit', () => {
  it('answers 429 in the error shape past ADMIN_RATE_LIMIT_PER_MINUTE, per key, and leaves uploads alone', async () => {
    const target = await createTestApp({ ADMIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const server = target.app.getHttpServer();
      const admin = () => request(server).get('/api/devices').set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);
      for (let call = 0; call < 3; call++) await admin().expect(200);
      const refused = await admin().expect(429);
      expect(refused.body).toEqual({ status: 429, message: 'too many requests to the admin API: retry in a minute', errors: [] });
      // Without a key: a failed authentication, which has a budget of its own (ADMIN_AUTH_FAILURES_PER_MINUTE).
      await request(server).get('/api/devices').expect(401);
      for (let upload = 0; upload < 5; upload++) {
        await request(server).post(HISTORY_EVENT_PATH).send(freshEvent()).expect(200);
      }
    } finally {
      await target.close();
    }
  });
});
