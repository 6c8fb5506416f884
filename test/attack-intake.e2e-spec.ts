import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { pollUntil } from './support/poll';
import {
  closesWithin,
  gzipArrayBomb,
  headersOf,
  listenCounting,
  ListeningServer,
  openRaw,
  RawConnection,
  requestHead,
  statusOf,
} from './support/raw-http';
import { formFields, freshEvent } from './support/samples';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The HTTP intake attacked as an anonymous client and a bad network would (issue 9): bodies are
 * read only by the routes that take one, after their checks; every read has a deadline; every
 * limit is total. Real HTTP on a listening server, real PostgreSQL. Costs in time and memory are
 * measured by `npm run drill:attack`, not asserted here.
 */

/** Two million `[]` in 6 KB of gzip: parsed, seconds of event loop and hundreds of MB. */
const BOMB = gzipArrayBomb(2_000_000);

interface Running {
  target: TestApp;
  server: ListeningServer;
  url: string;
}

async function start(env: Record<string, string> = {}): Promise<Running> {
  const target = await createTestApp(env);
  const server = await listenCounting(target.app.getHttpServer() as unknown as Server);
  return { target, server, url: `http://127.0.0.1:${server.port}` };
}

async function upload(url: string, body: string | FormData, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${HISTORY_EVENT_PATH}`, {
    method: 'POST',
    headers: typeof body === 'string' ? { 'content-type': 'application/json', ...headers } : headers,
    body,
    signal: AbortSignal.timeout(20_000),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function storedCount(target: TestApp, timestamp: number): Promise<number> {
  const [row] = await target.dataSource.query('SELECT count(*)::int AS count FROM history_event WHERE timestamp_ms = $1', [timestamp]);
  return row.count;
}

async function rowCounts(target: TestApp): Promise<number[]> {
  const [row] = await target.dataSource.query(
    'SELECT (SELECT count(*) FROM history_event)::int AS events, (SELECT count(*) FROM quarantined_event)::int AS quarantined',
  );
  return [row.events, row.quarantined];
}

/** Sends `count` bytes of JSON-ish filler as fast as the server takes them, giving up once it stops taking them. */
async function push(connection: RawConnection, count: number): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  for (let sent = 0; sent < count && !connection.isClosed(); sent += chunk.length) {
    const written = connection.write(chunk);
    if (!(await Promise.race([written.then(() => true), sleep(500).then(() => false)]))) return;
  }
}

describe('the HTTP intake under attack', () => {
  describe('with the default settings', () => {
    let running: Running;

    beforeAll(async () => {
      running = await start();
    });

    afterAll(async () => {
      await running.target.close();
    });

    it.each([
      ['GET', '/health/live', 200],
      ['POST', '/health/live', 404],
      ['GET', '/metrics', 200],
      ['GET', '/api/events', 401],
      ['POST', '/api/quarantine/1/replay', 401],
      ['POST', '/nowhere', 404],
    ])('answers %s %s without reading a gzip bomb sent to it, and closes the connection', async (method, path, status) => {
      const connection = openRaw(running.server.port);
      // The bomb, and then nothing: the body never ends. Whoever waits for it never answers.
      await connection.write(
        requestHead(method, path, {
          'Content-Type': 'application/json',
          'Content-Encoding': 'gzip',
          'Content-Length': 8 * 1024 * 1024,
        }),
      );
      await connection.write(BOMB);
      const answer = await connection.waitFor(/\r\n\r\n/, 10_000);
      expect(statusOf(answer)).toBe(status);
      expect(headersOf(answer).connection).toBe('close');
      expect(await closesWithin(connection, 10_000)).toBe(true);
      const live = await fetch(`${running.url}/health/live`);
      expect(live.status).toBe(200);
    });

    it('reads almost nothing of a large body sent to a route that takes none', async () => {
      for (const [method, path] of [
        ['GET', '/metrics'],
        ['POST', '/api/quarantine/1/replay'],
      ]) {
        const before = running.server.bytesRead();
        const connection = openRaw(running.server.port);
        await connection.write(requestHead(method, path, { 'Content-Type': 'application/json', 'Content-Length': 32 * 1024 * 1024 }));
        await connection.write('[');
        void push(connection, 16 * 1024 * 1024);
        const answer = await connection.waitFor(/\r\n\r\n/, 10_000);
        expect(headersOf(answer).connection).toBe('close');
        expect(await closesWithin(connection, 10_000)).toBe(true);
        // The server read its first packets at most, not the megabytes sent after them.
        expect(running.server.bytesRead() - before).toBeLessThan(1024 * 1024);
      }
    });

    it('refuses a gzip bomb on the upload route before parsing it, and keeps storing uploads', async () => {
      const answer = await fetch(`${running.url}${HISTORY_EVENT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: BOMB,
      });
      expect(answer.status).toBe(413);
      expect(await answer.json()).toEqual({
        status: 413,
        message: expect.stringMatching(/more than 20000 JSON values \(JSON_MAX_ELEMENTS\)/),
        errors: [],
      });
      expect(answer.headers.get('connection')).toBe('close');

      const event = freshEvent();
      const stored = await upload(running.url, JSON.stringify(event));
      expect(stored.status).toBe(200);
      expect(await storedCount(running.target, event.timestamp)).toBe(1);
    });

    it('inflates a compressed upload as a stream within BODY_LIMIT, and refuses other encodings', async () => {
      const event = freshEvent();
      const gzipped = await fetch(`${running.url}${HISTORY_EVENT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify(event)),
      });
      expect(gzipped.status).toBe(200);
      expect(await storedCount(running.target, event.timestamp)).toBe(1);

      // 64 MB of one long string in 64 KB of gzip: as costly to store as 64 MB sent, refused at 1 MB.
      const huge = gzipSync(
        Buffer.concat([Buffer.from('{"identity_name":"'), Buffer.alloc(64 * 1024 * 1024 - 100, 0x61), Buffer.from('"}')]),
      );
      const inflated = await fetch(`${running.url}${HISTORY_EVENT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: huge,
      });
      expect(inflated.status).toBe(413);
      expect(((await inflated.json()) as { message: unknown }).message).toBe(
        'the request body inflates to more than 10 times its compressed size (BODY_MAX_INFLATION): send it uncompressed',
      );

      const compress = await fetch(`${running.url}${HISTORY_EVENT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'compress' },
        body: JSON.stringify(freshEvent()),
      });
      expect(compress.status).toBe(415);
      expect(((await compress.json()) as { message: unknown }).message).toMatch(/Content-Encoding must be gzip, deflate, br or identity/);
    });
  });

  it('stores a box upload while 16 slow bodies are still arriving: a body not yet read holds no slot', async () => {
    const running = await start({ BODY_READ_TIMEOUT_MS: '120000', BODY_MIN_BYTES_PER_SECOND: '0' });
    const slow: RawConnection[] = [];
    try {
      for (let index = 0; index < 16; index++) {
        const connection = openRaw(running.server.port);
        await connection.write(requestHead('POST', HISTORY_EVENT_PATH, { 'Content-Type': 'application/json', 'Content-Length': 100_000 }));
        await connection.write('[{"identity_id":"');
        slow.push(connection);
      }
      const event = freshEvent();
      const answer = await upload(running.url, JSON.stringify(event));
      expect(answer.status).toBe(200);
      expect(await storedCount(running.target, event.timestamp)).toBe(1);
      // The slow ones are still there, unanswered: nothing was refused to make room.
      expect(slow.map((connection) => [connection.isClosed(), connection.received()])).toEqual(slow.map(() => [false, '']));
    } finally {
      for (const connection of slow) connection.socket.destroy();
      await running.target.close();
    }
  });

  it('answers slow bodies 408 at BODY_READ_TIMEOUT_MS and gives back the memory they held', async () => {
    // A budget of 1 MB: four stalled bodies of 300 KB fill it, so that a box's upload has to wait for them.
    const running = await start({
      BODY_READ_TIMEOUT_MS: '3000',
      BODY_MIN_BYTES_PER_SECOND: '0',
      BODY_LIMIT: '1mb',
      INGEST_BODY_BUDGET: '1mb',
    });
    const order: string[] = [];
    const slow: RawConnection[] = [];
    try {
      for (let index = 0; index < 4; index++) {
        const connection = openRaw(running.server.port);
        await connection.write(requestHead('POST', HISTORY_EVENT_PATH, { 'Content-Type': 'application/json', 'Content-Length': 900_000 }));
        await connection.write(`{"padding":"${'x'.repeat(300_000)}`);
        slow.push(connection);
      }
      await pollUntil(
        () => running.server.bytesRead(),
        (read) => read >= 1_200_000,
        { what: 'the slow bodies read' },
      );
      const timedOut = slow.map((connection) =>
        connection.waitFor(/\r\n\r\n[\s\S]*\}/, 20_000).then((answer) => {
          order.push('408');
          return answer;
        }),
      );
      await sleep(500);
      // 400 KB: more than one read of the socket, so it must wait for the budget.
      const event = freshEvent('gate-employee.json', { padding: 'p'.repeat(400_000) });
      const stored = upload(running.url, JSON.stringify(event)).then((answer) => {
        order.push('upload');
        return answer;
      });

      for (const answer of await Promise.all(timedOut)) {
        expect(statusOf(answer)).toBe(408);
        expect(answer).toMatch(/the request body did not arrive within 3000 ms \(BODY_READ_TIMEOUT_MS\)/);
        expect(headersOf(answer).connection).toBe('close');
      }
      for (const connection of slow) expect(await closesWithin(connection, 10_000)).toBe(true);
      expect((await stored).status).toBe(200);
      expect(await storedCount(running.target, event.timestamp)).toBe(1);
      expect(order[0]).toBe('408');
    } finally {
      for (const connection of slow) connection.socket.destroy();
      await running.target.close();
    }
  });

  it('answers 408 to a body that arrives slower than BODY_MIN_BYTES_PER_SECOND', async () => {
    const running = await start({ BODY_READ_TIMEOUT_MS: '60000', BODY_MIN_BYTES_PER_SECOND: '10kb' });
    const connection = openRaw(running.server.port);
    const trickle = setInterval(() => void connection.write('x'.repeat(100)), 1000);
    try {
      await connection.write(requestHead('POST', HISTORY_EVENT_PATH, { 'Content-Type': 'application/json', 'Content-Length': 100_000 }));
      await connection.write('{"padding":"');
      const answer = await connection.waitFor(/\r\n\r\n[\s\S]*\}/, 20_000);
      expect(statusOf(answer)).toBe(408);
      expect(answer).toMatch(/slower than 10240 bytes per second \(BODY_MIN_BYTES_PER_SECOND\)/);
      expect(await closesWithin(connection, 10_000)).toBe(true);
    } finally {
      clearInterval(trickle);
      connection.socket.destroy();
      await running.target.close();
    }
  });

  describe('with BODY_LIMIT=1mb: limits are totals', () => {
    let running: Running;

    beforeAll(async () => {
      running = await start({ BODY_LIMIT: '1mb', BODY_MAX_INFLATION: '0' });
    });

    it('refuses a compressed body over BODY_LIMIT once inflated, though it is under it on the wire', async () => {
      const before = await rowCounts(running.target);
      const body = gzipSync(JSON.stringify(freshEvent('gate-employee.json', { padding: 'p'.repeat(2 * 1024 * 1024) })));
      expect(body.length).toBeLessThan(1024 * 1024);
      const answer = await fetch(`${running.url}${HISTORY_EVENT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body,
      });
      expect(answer.status).toBe(413);
      expect(((await answer.json()) as { message: unknown }).message).toBe(
        'the request body is larger than the limit of 1048576 bytes (BODY_LIMIT) once inflated',
      );
      expect(await rowCounts(running.target)).toEqual(before);
    });

    afterAll(async () => {
      await running.target.close();
    });

    const form = (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [name, value] of Object.entries(fields)) data.append(name, value);
      return data;
    };

    it('refuses, with 413, a form over BODY_LIMIT in total though each field is under it, and stores nothing', async () => {
      const before = await rowCounts(running.target);
      const fields = { ...formFields(freshEvent()), note_a: 'a'.repeat(400_000), note_b: 'b'.repeat(400_000), note_c: 'c'.repeat(400_000) };
      const answer = await upload(running.url, form(fields));
      expect(answer).toEqual({
        status: 413,
        body: { status: 413, message: 'the request body is larger than the limit of 1048576 bytes (BODY_LIMIT)', errors: [] },
      });
      expect(await rowCounts(running.target)).toEqual(before);
    });

    it('refuses, with 413, a form with more fields than one event has', async () => {
      const before = await rowCounts(running.target);
      const fields = { ...formFields(freshEvent()), ...Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`f${index}`, '1'])) };
      const answer = await upload(running.url, form(fields));
      expect(answer).toEqual({ status: 413, body: { status: 413, message: 'the form holds more than 100 fields', errors: [] } });
      expect(await rowCounts(running.target)).toEqual(before);
    });
  });

  it('holds an upload slot until the handler settles, not until the client goes away', async () => {
    const running = await start({ INGEST_CONCURRENCY: '1' });
    const locker = new Client({ connectionString: running.target.database.url });
    await locker.connect();
    // Another session: a transaction sees one snapshot of pg_stat_activity.
    const observer = new Client({ connectionString: running.target.database.url });
    await observer.connect();
    const waitingInserts = async () => {
      const [row] = (
        await observer.query(
          `SELECT count(*)::int AS count FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%stored AS (INSERT INTO%'`,
        )
      ).rows;
      return row.count as number;
    };
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE history_event IN EXCLUSIVE MODE');

      // A takes the only slot and waits on the lock; then its client goes away.
      const first = freshEvent();
      const a = openRaw(running.server.port);
      const body = JSON.stringify(first);
      await a.write(
        requestHead('POST', HISTORY_EVENT_PATH, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }) + body,
      );
      await pollUntil(waitingInserts, (count) => count === 1, { what: "A's insert waiting on the lock" });
      a.socket.destroy();
      await a.closed;

      // B is read, then waits for the slot that A still holds: it does not reach the database.
      const second = freshEvent();
      const readBefore = running.server.bytesRead();
      const b = upload(running.url, JSON.stringify(second));
      await pollUntil(
        () => running.server.bytesRead() - readBefore,
        (read) => read >= JSON.stringify(second).length,
        { what: 'B read' },
      );
      // C is read too, waits behind B, and goes away: it leaves the queue.
      const third = freshEvent();
      const c = openRaw(running.server.port);
      const thirdBody = JSON.stringify(third);
      await c.write(
        requestHead('POST', HISTORY_EVENT_PATH, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(thirdBody) }) +
          thirdBody,
      );
      await sleep(1000);
      expect(await waitingInserts()).toBe(1);
      c.socket.destroy();
      await c.closed;

      await locker.query('ROLLBACK');
      expect((await b).status).toBe(200);
      // A's work went on without its client: its event is stored (the box will get "duplicate" on its retry).
      await pollUntil(
        () => storedCount(running.target, first.timestamp),
        (count) => count === 1,
        { what: "A's event stored" },
      );
      expect(await storedCount(running.target, second.timestamp)).toBe(1);
      // An upload after C in the queue is answered once C's turn has passed: C was never processed.
      expect((await upload(running.url, JSON.stringify(freshEvent()))).status).toBe(200);
      expect(await storedCount(running.target, third.timestamp)).toBe(0);
    } finally {
      await locker.end();
      await observer.end();
      await running.target.close();
    }
  });

  describe('with INGEST_TOKEN set', () => {
    const TOKEN = 'attack-token-0123456789';
    let running: Running;

    beforeAll(async () => {
      running = await start({ INGEST_TOKEN: TOKEN });
    });

    afterAll(async () => {
      await running.target.close();
    });

    it('refuses an upload without the token before reading its body, and never invites it (Expect: 100-continue)', async () => {
      const before = running.server.bytesRead();
      const refused = openRaw(running.server.port);
      await refused.write(
        requestHead('POST', HISTORY_EVENT_PATH, {
          'Content-Type': 'application/json',
          'Content-Length': 32 * 1024 * 1024,
          Expect: '100-continue',
        }),
      );
      const answer = await refused.waitFor(/\r\n\r\n/, 10_000);
      expect(answer).not.toMatch(/100 Continue/);
      expect(statusOf(answer)).toBe(401);
      expect(headersOf(answer).connection).toBe('close');
      void push(refused, 16 * 1024 * 1024);
      expect(await closesWithin(refused, 10_000)).toBe(true);
      expect(running.server.bytesRead() - before).toBeLessThan(1024 * 1024);

      // With the token, the body is invited, read and stored.
      const event = freshEvent();
      const body = JSON.stringify(event);
      const accepted = openRaw(running.server.port);
      await accepted.write(
        requestHead('POST', `${HISTORY_EVENT_PATH}/${TOKEN}`, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Expect: '100-continue',
        }),
      );
      await accepted.waitFor(/HTTP\/1\.1 100 Continue\r\n\r\n/, 10_000);
      await accepted.write(body);
      const stored = await accepted.waitFor(/\r\n\r\n[\s\S]*"result":"stored"/, 10_000);
      expect(statusOf(stored)).toBe(200);
      accepted.socket.destroy();
    });
  });

  it('closes connections beyond MAX_CONNECTIONS_PER_CLIENT; beyond MAX_CONNECTIONS, the oldest without a request in flight makes room', async () => {
    const running = await start({ MAX_CONNECTIONS: '6', MAX_CONNECTIONS_PER_CLIENT: '4', HEADERS_TIMEOUT_MS: '60000' });
    const server = running.target.app.getHttpServer() as unknown as Server;
    const connections = () => new Promise<number>((resolve) => server.getConnections((_, count) => resolve(count)));
    const held: RawConnection[] = [];
    const hold = async (from: string, request = 'GET /health/live HTTP/1.1\r\n') => {
      const connection = openRaw(running.server.port, from);
      await connection.write(request);
      held.push(connection);
    };
    try {
      for (let index = 0; index < 4; index++) await hold('127.0.0.1');
      await pollUntil(connections, (count) => count === 4, { what: 'four connections open' });
      // A fifth from the same client is closed; other clients still get in.
      expect(await closesWithin(openRaw(running.server.port, '127.0.0.1'), 10_000)).toBe(true);
      for (let index = 0; index < 2; index++) await hold('127.0.0.2');
      await pollUntil(connections, (count) => count === 6, { what: 'six connections open' });
      expect(held.map((connection) => connection.isClosed())).toEqual([false, false, false, false, false, false]);

      // All six are idle (no request yet): a box's connection closes the oldest and is answered.
      const box = openRaw(running.server.port, '127.0.0.3');
      await box.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(statusOf(await box.waitFor(/\r\n\r\n/, 10_000))).toBe(200);
      expect(await closesWithin(held[0], 10_000)).toBe(true);
      expect(held.slice(1).map((connection) => connection.isClosed())).toEqual([false, false, false, false, false]);
      box.socket.destroy();
      for (const connection of held) connection.socket.destroy();
      held.length = 0;
      await pollUntil(connections, (count) => count === 0, { what: 'every connection closed' });

      // Six uploads whose bodies are still coming (requests in flight): a seventh connection is the one closed.
      const slowUpload = `POST ${HISTORY_EVENT_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`;
      let requests = 0;
      server.on('request', () => requests++);
      for (let index = 0; index < 6; index++) await hold(index < 3 ? '127.0.0.4' : '127.0.0.5', slowUpload);
      await pollUntil(
        () => requests,
        (count) => count === 6,
        { what: 'six uploads under way' },
      );
      expect(await closesWithin(openRaw(running.server.port, '127.0.0.6'), 10_000)).toBe(true);
      expect(held.map((connection) => connection.isClosed())).toEqual([false, false, false, false, false, false]);
    } finally {
      for (const connection of held) connection.socket.destroy();
      await running.target.close();
    }
  });

  it('closes connections that send nothing after HEADERS_TIMEOUT_MS, and idle ones after KEEP_ALIVE_TIMEOUT_MS', async () => {
    const running = await start({ HEADERS_TIMEOUT_MS: '1000', KEEP_ALIVE_TIMEOUT_MS: '1000' });
    try {
      const silent = openRaw(running.server.port);
      const partial = openRaw(running.server.port);
      await partial.write('GET /health/live HTTP/1.1\r\nHost: x\r\n');
      const idle = openRaw(running.server.port);
      await idle.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(statusOf(await idle.waitFor(/\r\n\r\n/, 10_000))).toBe(200);

      expect(await closesWithin(silent, 10_000)).toBe(true);
      expect(await closesWithin(partial, 10_000)).toBe(true);
      expect(statusOf(partial.received())).toBe(408);
      expect(await closesWithin(idle, 10_000)).toBe(true);
    } finally {
      await running.target.close();
    }
  });
});
