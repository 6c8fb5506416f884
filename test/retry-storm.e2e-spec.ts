import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { sampleEvent } from './support/samples';
import { createTestApp, TestApp } from './support/test-app';

describe('a retry storm: every event sent 5 times, interleaved, over 32 connections', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp();
  });

  afterAll(async () => {
    await target.close();
  });

  it('stores one row per event, and answers every copy with its id', async () => {
    const events = Array.from({ length: 64 }, (_, index) => ({
      ...sampleEvent(['gate-employee.json', 'snapcam-stranger-1001.json', 'gallery-update-1002.json'][index % 3]),
      timestamp: 1_680_000_000_000 + index,
    }));
    // Five copies of each, shuffled with a fixed seed so that every run sends the same storm.
    const copies = events.flatMap((event) => Array.from({ length: 5 }, () => event));
    let seed = 7;
    for (let index = copies.length - 1; index > 0; index--) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const other = seed % (index + 1);
      [copies[index], copies[other]] = [copies[other], copies[index]];
    }

    const server = target.app.getHttpServer() as unknown as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const answers: { timestamp: number; id: string; result: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < copies.length) {
          const event = copies[next++];
          const response = await fetch(`http://127.0.0.1:${port}${HISTORY_EVENT_PATH}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(event),
          });
          expect(response.status).toBe(200);
          const [{ id, result }] = ((await response.json()) as { data: { events: { id: string; result: string }[] } }).data.events;
          answers.push({ timestamp: event.timestamp, id, result });
        }
      }),
    );

    expect(answers).toHaveLength(320);
    expect(answers.filter((answer) => answer.result === 'stored')).toHaveLength(64);
    expect(answers.filter((answer) => answer.result === 'duplicate')).toHaveLength(256);
    for (const event of events) {
      const ids = new Set(answers.filter((answer) => answer.timestamp === event.timestamp).map((answer) => answer.id));
      expect(ids.size).toBe(1);
    }
    const [{ rows, distinct_events, hooks }] = await target.dataSource.query(
      `SELECT count(*)::int AS rows, count(DISTINCT timestamp_ms)::int AS distinct_events,
              (SELECT count(*)::int FROM hook) AS hooks
         FROM history_event WHERE timestamp_ms BETWEEN 1680000000000 AND 1680000000063`,
    );
    expect({ rows, distinct_events }).toEqual({ rows: 64, distinct_events: 64 });
    // One hook per 1001 or 1002 event: 21 strangers and 21 gallery updates among the 64.
    expect(hooks).toBe(42);
  });
});
