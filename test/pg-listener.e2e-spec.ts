import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { PgListener } from '../src/database/pg-listener';
import { pollUntil } from './support/poll';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** Resolves with 'stopped', or with 'hung' when the stop takes longer than 5 s. */
const stopWithin5s = (listener: PgListener) => Promise.race([listener.stop().then(() => 'stopped'), sleep(5_000).then(() => 'hung')]);

describe('PgListener', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
  });

  afterAll(async () => {
    await database.drop();
  });

  const listener = (onNotification: (payload: string | undefined) => void = () => undefined) =>
    new PgListener({ url: database.url, channel: 'se3_test_channel', applicationName: 'se3 test listener', retryMs: 100, onNotification });

  it('stops at any moment, also while it connects (pg leaves a connect pending for ever when ended meanwhile)', async () => {
    // Stopped after 0, 1, 2, ... turns of the event loop: one of them falls while it connects.
    const outcomes: string[] = [];
    for (let turns = 0; turns < 60; turns++) {
      const started = listener();
      for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
      outcomes.push(await stopWithin5s(started));
    }
    expect(outcomes).toEqual(Array(60).fill('stopped'));
  });

  it('hears notifications, and listens again after its connection was terminated', async () => {
    const heard: (string | undefined)[] = [];
    const started = listener((payload) => heard.push(payload));
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      const notify = (payload: string) => admin.query(`SELECT pg_notify('se3_test_channel', $1)`, [payload]);
      const listeners = async () =>
        (
          await admin.query(
            `SELECT pid FROM pg_stat_activity WHERE application_name = 'se3 test listener' AND datname = current_database()`,
          )
        ).rows;
      await pollUntil(listeners, (rows) => rows.length === 1, { what: 'the listener connected' });
      await pollUntil(
        async () => (await notify('first'), heard),
        (payloads) => payloads.includes('first'),
        { what: 'the first notification' },
      );
      const [{ pid }] = await listeners();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await pollUntil(
        async () => (await notify('second'), heard),
        (payloads) => payloads.includes('second'),
        { what: 'a notification after the loss' },
      );
    } finally {
      await admin.end();
      expect(await stopWithin5s(started)).toBe('stopped');
    }
  });
});
