import type { Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { freshEvent, sampleEvent } from './support/samples';
import { createTestApp, TestApp } from './support/test-app';

const TOKEN = 'box-token-0123456789abcdef';
const OTHER_TOKEN = 'second-token-0123456789';

describe('ingest security', () => {
  describe('with INGEST_TOKEN set', () => {
    let target: TestApp;
    const logs: string[] = [];
    const post = (path: string) => request(target.app.getHttpServer()).post(path).send(freshEvent());

    beforeAll(async () => {
      target = await createTestApp({ INGEST_TOKEN: `${TOKEN},${OTHER_TOKEN}`, INGEST_PATHS: '/HistoryEvent,/upload' }, { logs });
    });

    afterAll(async () => {
      await target.close();
    });

    describe.each([HISTORY_EVENT_PATH, '/HistoryEvent', '/upload', '/historyevent'])('on %s', (path) => {
      it('accepts the token as the last path segment, as ?token= and in the X-Ingest-Token header', async () => {
        await post(`${path}/${TOKEN}`).expect(200);
        await post(`${path}/${OTHER_TOKEN}/`).expect(200);
        await post(`${path}?token=${TOKEN}`).expect(200);
        await post(path).set('X-Ingest-Token', TOKEN).expect(200);
      });

      it('refuses an upload without a token or with a wrong one, with 401, and stores nothing', async () => {
        const before = (await target.dataSource.query('SELECT count(*)::int AS n FROM history_event'))[0].n;
        for (const attempt of [
          post(path),
          post(`${path}/wrong-token-0123456789`),
          post(`${path}?token=${TOKEN}x`),
          post(path).set('X-Ingest-Token', 'nope'),
        ]) {
          const response = await attempt.expect(401);
          expect(response.body).toEqual({
            status: 401,
            message: 'a valid upload token is required: add it to the upload URL as its last path segment',
            errors: [],
          });
        }
        expect((await target.dataSource.query('SELECT count(*)::int AS n FROM history_event'))[0].n).toBe(before);
      });
    });

    it('answers a deeper path under the upload path with 404, without echoing it', async () => {
      const response = await post(`${HISTORY_EVENT_PATH}/${TOKEN}/more`).expect(404);
      expect(JSON.stringify(response.body)).not.toContain(TOKEN);
    });

    it('writes no token in any log line, and no image', () => {
      const text = logs.join('\n');
      expect(logs.length).toBeGreaterThan(10);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(OTHER_TOKEN);
      expect(text).not.toContain(sampleEvent('gate-employee.json').ext_data.recognize_face.slice(0, 40));
      expect(text).not.toMatch(/[A-Za-z0-9+/]{120,}/);
    });

    it('logs each upload with request id, route, box, outcome and duration', () => {
      const lines = logs.map((line) => JSON.parse(line)).filter((line) => line.req && line.res?.statusCode === 200);
      expect(lines[0]).toMatchObject({
        level: 'info',
        req: { id: expect.any(String), method: 'POST', path: HISTORY_EVENT_PATH },
        route: HISTORY_EVENT_PATH,
        dev_sno: '3714be15-09b3-41ec-b9ce-62b668e5fa32',
        outcome: { stored: 1 },
        responseTime: expect.any(Number),
      });
    });
  });

  describe('with INGEST_ALLOW_CIDRS set', () => {
    it('refuses uploads from other addresses with 403 and accepts those inside', async () => {
      const closed = await createTestApp({ INGEST_ALLOW_CIDRS: '10.0.0.0/8,2001:db8::/32' });
      const open = await createTestApp({ INGEST_ALLOW_CIDRS: '10.0.0.0/8,127.0.0.0/8,::1/128' });
      try {
        const refused = await request(closed.app.getHttpServer()).post('/HistoryEvent').send(freshEvent()).expect(403);
        expect(refused.body).toMatchObject({ status: 403, message: expect.stringContaining('INGEST_ALLOW_CIDRS') });
        await request(open.app.getHttpServer()).post('/HistoryEvent').send(freshEvent()).expect(200);
      } finally {
        await closed.close();
        await open.close();
      }
    });

    it('believes X-Forwarded-For only from a trusted proxy', async () => {
      const untrusting = await createTestApp({ INGEST_ALLOW_CIDRS: '10.1.0.0/16' });
      const behindProxy = await createTestApp({ INGEST_ALLOW_CIDRS: '10.1.0.0/16', TRUSTED_PROXIES: '127.0.0.1,::1' });
      try {
        await request(untrusting.app.getHttpServer())
          .post(HISTORY_EVENT_PATH)
          .set('X-Forwarded-For', '10.1.2.3')
          .send(freshEvent())
          .expect(403);
        const event = freshEvent();
        const { body } = await request(behindProxy.app.getHttpServer())
          .post(HISTORY_EVENT_PATH)
          .set('X-Forwarded-For', '10.1.2.3')
          .send(event)
          .expect(200);
        const [row] = await behindProxy.dataSource.query('SELECT host(received_from) AS address FROM history_event WHERE id = $1', [
          body.data.events[0].id,
        ]);
        expect(row.address).toBe('10.1.2.3');
        await request(behindProxy.app.getHttpServer())
          .post(HISTORY_EVENT_PATH)
          .set('X-Forwarded-For', '192.168.9.9')
          .send(freshEvent())
          .expect(403);
      } finally {
        await untrusting.close();
        await behindProxy.close();
      }
    });
  });
});

describe('INGEST_CONCURRENCY', () => {
  it('lets uploads through while a body never ends, and leaves nothing held by clients that went away', async () => {
    const target = await createTestApp({ INGEST_CONCURRENCY: '1' });
    try {
      const server = target.app.getHttpServer() as unknown as Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      // The first upload's body never ends: it is still being read, and holds no slot.
      const holder = connect(port);
      holder.write(`POST ${HISTORY_EVENT_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
      // The second is read and processed, then goes away.
      const quitter = connect(port);
      quitter.write(`POST ${HISTORY_EVENT_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      quitter.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      holder.destroy();

      // Nothing is held: an upload goes through, and five at once.
      const response = await fetch(`http://127.0.0.1:${port}${HISTORY_EVENT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(freshEvent()),
        signal: AbortSignal.timeout(5000),
      });
      expect(response.status).toBe(200);
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          fetch(`http://127.0.0.1:${port}${HISTORY_EVENT_PATH}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(freshEvent()),
            signal: AbortSignal.timeout(5000),
          }).then((answer) => answer.status),
        ),
      );
      expect(answers).toEqual([200, 200, 200, 200, 200]);
    } finally {
      await target.close();
    }
  });
});
