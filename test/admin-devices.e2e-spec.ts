import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventStatsFolding } from '../src/admin/stats/event-stats-folding';
import { adminGet, eventOf, foldStats, upload } from './support/admin-api';
import { createTestApp, TestApp } from './support/test-app';

const T0 = Date.parse('2024-06-01T06:00:00Z');

interface EdgePointCount {
  dev_sno: string;
  ep_id: string;
  event_count: number;
  first_event_time: string;
  last_event_time: string;
}

/** What GET /api/devices must say, counted from the events themselves. */
async function groundTruth(target: TestApp): Promise<EdgePointCount[]> {
  const rows = await target.dataSource.query(
    `SELECT dev_sno, ep_id, count(*)::int AS event_count, min(event_time) AS first_event_time, max(event_time) AS last_event_time
       FROM history_event GROUP BY dev_sno, ep_id ORDER BY dev_sno, ep_id`,
  );
  return rows.map((row: EdgePointCount & { first_event_time: Date; last_event_time: Date }) => ({
    ...row,
    first_event_time: row.first_event_time.toISOString(),
    last_event_time: row.last_event_time.toISOString(),
  }));
}

async function devices(target: TestApp): Promise<EdgePointCount[]> {
  const { items } = (await adminGet(target, '/api/devices').expect(200)).body;
  return items.flatMap((box: { dev_sno: string; edge_points: Omit<EdgePointCount, 'dev_sno'>[] }) =>
    box.edge_points.map((edgePoint) => ({
      dev_sno: box.dev_sno,
      ep_id: edgePoint.ep_id,
      event_count: edgePoint.event_count,
      first_event_time: edgePoint.first_event_time,
      last_event_time: edgePoint.last_event_time,
    })),
  );
}

describe('GET /api/devices', () => {
  let target: TestApp;

  beforeEach(async () => {
    // A long interval: the tests fold when they mean to.
    target = await createTestApp({ ADMIN_STATS_INTERVAL_MS: '3600000' });
  });

  afterEach(async () => {
    await target.close();
  });

  it('lists every box and edge point with IP, type, first and last event time and count, by box', async () => {
    await upload(target, [
      eventOf({ dev_sno: 'box-b', ep: 1, device_type: '3', timestamp: T0 + 5000, identity_id: 'a' }),
      eventOf({ dev_sno: 'box-a', ep: 2, device_type: '1', timestamp: T0 + 2000, identity_id: 'b' }),
      eventOf({ dev_sno: 'box-a', ep: 1, device_type: '0', timestamp: T0 + 1000, identity_id: 'c' }),
      eventOf({ dev_sno: 'box-a', ep: 1, device_type: '0', timestamp: T0 + 3000, identity_id: 'd' }),
      eventOf({ dev_sno: '', ep: 1, device_type: '4', timestamp: T0, identity_id: 'e' }),
    ]);
    const iso = (offset: number) => new Date(T0 + offset).toISOString();
    const expected = [
      {
        dev_sno: '',
        event_count: 1,
        first_event_time: iso(0),
        last_event_time: iso(0),
        edge_points: [
          {
            ep_id: '__10.0.0.1',
            device_ip: '10.0.0.1',
            device_type: '4',
            event_count: 1,
            first_event_time: iso(0),
            last_event_time: iso(0),
          },
        ],
      },
      {
        dev_sno: 'box-a',
        event_count: 3,
        first_event_time: iso(1000),
        last_event_time: iso(3000),
        edge_points: [
          {
            ep_id: 'box-a__10.0.0.1',
            device_ip: '10.0.0.1',
            device_type: '0',
            event_count: 2,
            first_event_time: iso(1000),
            last_event_time: iso(3000),
          },
          {
            ep_id: 'box-a__10.0.0.2',
            device_ip: '10.0.0.2',
            device_type: '1',
            event_count: 1,
            first_event_time: iso(2000),
            last_event_time: iso(2000),
          },
        ],
      },
      {
        dev_sno: 'box-b',
        event_count: 1,
        first_event_time: iso(5000),
        last_event_time: iso(5000),
        edge_points: [
          {
            ep_id: 'box-b__10.0.0.1',
            device_ip: '10.0.0.1',
            device_type: '3',
            event_count: 1,
            first_event_time: iso(5000),
            last_event_time: iso(5000),
          },
        ],
      },
    ];
    expect((await adminGet(target, '/api/devices').expect(200)).body).toEqual({ items: expected });
    await foldStats(target);
    expect((await adminGet(target, '/api/devices').expect(200)).body).toEqual({ items: expected });
  });

  it('takes device IP and type from the latest event by event time, whatever the upload order', async () => {
    const edgePoint = (timestamp: number, device_ip: string, device_type: string, identity_id: string) =>
      eventOf({ dev_sno: 'box-a', ep: 1, timestamp, device_ip, device_type, identity_id });
    await upload(target, [edgePoint(T0 + 2000, '10.0.0.9', '1', 'new')]);
    await foldStats(target);
    await upload(target, [edgePoint(T0 + 1000, '10.0.0.1', '0', 'old')]);
    const check = async () => {
      const [box] = (await adminGet(target, '/api/devices').expect(200)).body.items;
      expect(box.edge_points).toEqual([expect.objectContaining({ device_ip: '10.0.0.9', device_type: '1', event_count: 2 })]);
    };
    await check();
    await foldStats(target);
    await check();
    await upload(target, [edgePoint(T0 + 3000, '10.0.0.7', '3', 'newest')]);
    const [box] = (await adminGet(target, '/api/devices').expect(200)).body.items;
    expect(box.edge_points).toEqual([expect.objectContaining({ device_ip: '10.0.0.7', device_type: '3', event_count: 3 })]);
  });

  it('stays exact under concurrent uploads, retried uploads and two instances folding at once', async () => {
    const batches = Array.from({ length: 24 }, (_, batch) =>
      Array.from({ length: 5 }, (_, index) =>
        eventOf({
          dev_sno: `box-${batch % 3}`,
          ep: 1 + (index % 2),
          timestamp: T0 + (batch * 5 + index) * 1000,
          identity_id: `c-${batch}-${index}`,
        }),
      ),
    );
    // Two more instances of the folder on their own connections, folding all along.
    const instances = [new EventStatsFolding(target.dataSource), new EventStatsFolding(target.dataSource)];
    let uploading = true;
    const folders = instances.map(async (folding) => {
      while (uploading) {
        await folding.catchUp(2_000);
        await sleep(5);
      }
    });
    // Every batch sent twice, all at once, as boxes that retry would.
    await Promise.all([...batches, ...batches].map((batch) => upload(target, batch)));
    uploading = false;
    await Promise.all(folders);

    const expected = await groundTruth(target);
    expect(expected.reduce((sum, row) => sum + row.event_count, 0)).toBe(24 * 5);
    expect(await devices(target)).toEqual(expected);
    await foldStats(target);
    expect(await devices(target)).toEqual(expected);
    const folded = await target.dataSource.query('SELECT sum(event_count)::int AS total FROM edge_point');
    expect(folded).toEqual([{ total: 24 * 5 }]);
  });

  it('never folds past an event still being written, which commits after events with higher ids', async () => {
    await upload(target, [eventOf({ dev_sno: 'box-a', timestamp: T0, identity_id: 'first' })]);
    // Hold the hook table: an upload of a 1001 event draws its event id, then waits to write its hook.
    const blocker = new Client({ connectionString: target.database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE hook IN EXCLUSIVE MODE');
      const slow = upload(target, [eventOf({ dev_sno: 'box-a', timestamp: T0 + 1000, identity_id: 'slow', want_action: '1001' })]);
      await waitFor(async () => {
        const [{ waiting }] = await target.dataSource.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return waiting > 0;
      });
      // Later uploads, with higher ids, commit first.
      await upload(target, [
        eventOf({ dev_sno: 'box-a', timestamp: T0 + 2000, identity_id: 'later-1' }),
        eventOf({ dev_sno: 'box-a', timestamp: T0 + 3000, identity_id: 'later-2' }),
      ]);
      const folding = new EventStatsFolding(target.dataSource);
      expect(await folding.catchUp(300)).toBe(false);
      expect(await devices(target)).toEqual(await groundTruth(target));
      expect((await devices(target))[0].event_count).toBe(3);

      await blocker.query('COMMIT');
      expect((await slow)[0].result).toBe('stored');
      expect(await folding.catchUp(5_000)).toBe(true);
      const expected = await groundTruth(target);
      expect(expected[0].event_count).toBe(4);
      expect(await devices(target)).toEqual(expected);
      const [{ total }] = await target.dataSource.query('SELECT sum(event_count)::int AS total FROM edge_point');
      expect(total).toBe(4);
    } finally {
      await blocker.end();
    }
  });

  it('answers an empty list before any event', async () => {
    expect((await adminGet(target, '/api/devices').expect(200)).body).toEqual({ items: [] });
    await foldStats(target);
    expect((await adminGet(target, '/api/devices').expect(200)).body).toEqual({ items: [] });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
