import { DataSource } from 'typeorm';
import { seedEvents } from '../scripts/seed/event-seeder';
import { runMigrations } from '../src/database/migration-runner';
import { typeOrmOptions } from '../src/database/typeorm-options';
import { parseHistoryEvent } from '../src/events/history-event.parser';
import { adminGet, adminPost, upload } from './support/admin-api';
import { createTestApp, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const END = new Date('2025-01-01T00:00:00Z');

describe('the admin API on a database filled by the seeder', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let target: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(typeOrmOptions(database.url, 2)).initialize();
    await runMigrations(dataSource);
    const result = await seedEvents(dataSource, { events: 3000, months: 2, end: END, chunkSize: 1000 });
    expect(result).toMatchObject({ events: 3000, quarantined: 1 });
    target = await createTestApp({}, { database });
  });

  afterAll(async () => {
    await target?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('spreads events over boxes, edge points, people, strangers and the whole span', async () => {
    const [stats] = await dataSource.query(
      `SELECT count(*)::int AS events, count(DISTINCT dev_sno)::int AS boxes, count(DISTINCT ep_id)::int AS edge_points,
              count(DISTINCT identity_id) FILTER (WHERE person_type <> 4)::int AS people,
              count(*) FILTER (WHERE person_type = 4)::int AS strangers,
              count(*) FILTER (WHERE want_action = '1001')::int AS registrations,
              count(*) FILTER (WHERE want_action = '1002')::int AS updates,
              min(event_time) AS first, max(event_time) AS last
         FROM history_event`,
    );
    expect(stats.events).toBe(3000);
    expect(stats.boxes).toBeGreaterThan(10);
    expect(stats.edge_points).toBeGreaterThan(30);
    expect(stats.people).toBeGreaterThan(500);
    expect(stats.strangers / stats.events).toBeGreaterThan(0.1);
    expect(stats.registrations).toBeGreaterThan(0);
    expect(stats.updates).toBeGreaterThan(0);
    expect(stats.first.getTime()).toBeLessThan(Date.parse('2024-11-03T00:00:00Z'));
    expect(stats.last.getTime()).toBeGreaterThan(Date.parse('2024-12-28T00:00:00Z'));
    const [{ images }] = await dataSource.query('SELECT count(*)::int AS images FROM history_event_image');
    expect(images / 3000).toBeGreaterThan(0.01);
  });

  it('seeds events the ingest itself would accept, with the dedup key it computes', async () => {
    const { items } = (await adminGet(target, '/api/events', { limit: 20, has_image: 'recognize_face' }).expect(200)).body;
    expect(items).toHaveLength(20);
    for (const item of items.slice(0, 5)) {
      const original = (await adminGet(target, `/api/events/${item.id}/original`).expect(200)).body;
      expect(parseHistoryEvent(original, { imageMaxBytes: 5 * 1024 * 1024, maxDepth: 32 }).valid).toBe(true);
      expect(await upload(target, original)).toEqual([{ id: item.id, result: 'duplicate' }]);
    }
    const image = await adminGet(target, `/api/events/${items[0].id}/images/recognize_face`).expect(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
  });

  it('answers the devices, the summary and the quarantine over the seeded events', async () => {
    const devices = (await adminGet(target, '/api/devices').expect(200)).body.items;
    expect(devices.reduce((sum: number, box: { event_count: number }) => sum + box.event_count, 0)).toBe(3000);
    expect(devices.some((box: { dev_sno: string }) => box.dev_sno === '')).toBe(true);

    const summary = (
      await adminGet(target, '/api/events/summary', {
        from: '2024-11-01T00:00:00Z',
        to: END.toISOString(),
        group_by: 'person_type',
        tz: 'Asia/Shanghai',
      }).expect(200)
    ).body;
    expect(summary.buckets.reduce((sum: number, bucket: { total: number }) => sum + bucket.total, 0)).toBe(3000);
    expect(
      Object.keys(summary.buckets.reduce((all: object, bucket: { counts: object }) => ({ ...all, ...bucket.counts }), {})).sort(),
    ).toEqual(['1', '2', '3', '4', '5']);

    const { items } = (await adminGet(target, '/api/quarantine').expect(200)).body;
    expect(items).toHaveLength(1);
    const replay = await adminPost(target, `/api/quarantine/${items[0].id}/replay`).expect(422);
    expect(replay.body.errors).toHaveLength(1);
  });

  it('adds to the same site when seeding again', async () => {
    await seedEvents(dataSource, { events: 1000, months: 2, end: END });
    const devices = (await adminGet(target, '/api/devices').expect(200)).body.items;
    expect(devices.length).toBeLessThanOrEqual(24);
    expect(devices.reduce((sum: number, box: { event_count: number }) => sum + box.event_count, 0)).toBe(4000);
  });
});
