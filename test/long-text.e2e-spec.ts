import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { adminGet, foldStats } from './support/admin-api';
import { deliveriesOf, QUICK_HOOKS } from './support/hooks';
import { pollUntil } from './support/poll';
import { readSample } from './support/samples';
import { createTestApp, TestApp } from './support/test-app';

/** Text that does not compress (a btree entry compresses a long value before it gives up). */
function randomText(length: number, alphabet: (n: number) => string): string {
  let seed = length * 7919 + alphabet(0).charCodeAt(0);
  let text = '';
  for (let index = 0; index < length; index++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    text += alphabet(seed);
  }
  return text;
}
const ascii = (length: number, tag: string) => tag + randomText(length - tag.length, (n) => String.fromCharCode(0x21 + (n % 94)));
const cjk = (length: number, tag: string) => tag + randomText(length - tag.length, (n) => String.fromCharCode(0x4e00 + (n % 20_000)));

/**
 * Text fields accept 4,096 characters (the vendor sets no limit), more than a btree index entry
 * holds (~2,700 bytes). Events with the longest values, in ASCII and in CJK (3 bytes a
 * character), go through every path: upload, replay detection, the admin filters, the device
 * list and the summary (before and after folding), the gallery through 1001 and 1002 hooks.
 */
describe('text fields of 4,096 characters', () => {
  let target: TestApp;
  const T0 = Date.parse('2024-07-01T08:00:00Z');

  // Event A: 1,500 CJK characters (4.5 KB, short enough for a filter in a URL) in every field an
  // index or a key holds; the name 4,096 CJK characters (12 KB). A stranger registered by 1001.
  const a = {
    identity_id: cjk(1_500, 'ia'),
    identity_name: cjk(4_096, 'na'),
    group_name: cjk(1_500, 'ga'),
    dev_sno: cjk(1_500, 'da'),
    ep_id: cjk(1_500, 'ea'),
    device_ip: cjk(1_500, 'pa'),
    device_type: cjk(1_500, 'ta'),
  };
  // Event B: 4,096 ASCII characters in every text field. A gallery update by 1002.
  const b = {
    identity_id: ascii(4_096, 'ib'),
    identity_name: ascii(4_096, 'nb'),
    group_name: ascii(4_096, 'gb'),
    dev_sno: ascii(4_096, 'db'),
    ep_id: ascii(4_096, 'eb'),
    device_ip: ascii(4_096, 'pb'),
    device_type: ascii(4_096, 'tb'),
  };
  type Texts = typeof a;

  const eventWith = (sample: string, texts: Texts, timestamp: number): Record<string, any> => {
    const event = readSample<Record<string, any>>(sample);
    Object.assign(event, { identity_id: texts.identity_id, identity_name: texts.identity_name, group_name: texts.group_name, timestamp });
    Object.assign(event.ext_data, {
      dev_sno: texts.dev_sno,
      ep_id: texts.ep_id,
      device_ip: texts.device_ip,
      device_type: texts.device_type,
    });
    return event;
  };
  const eventA = eventWith('snapcam-stranger-1001.json', a, T0);
  const eventB = eventWith('gallery-update-1002.json', b, T0 + 60_000);
  let ids: string[];

  beforeAll(async () => {
    target = await createTestApp({ ...QUICK_HOOKS, ADMIN_STATS_INTERVAL_MS: '3600000' });
  });

  afterAll(async () => {
    await target.close();
  });

  it('are longer than a btree index entry holds, so the test means something', async () => {
    await expect(target.dataSource.query(`SELECT count(*) FROM (VALUES ($1::text)) AS v(x) GROUP BY x`, [b.dev_sno])).resolves.toHaveLength(
      1,
    );
    await target.dataSource.query('CREATE TABLE plain_btree (x text PRIMARY KEY)');
    for (const value of [b.dev_sno, a.dev_sno, a.identity_name]) {
      await expect(target.dataSource.query('INSERT INTO plain_btree VALUES ($1)', [value])).rejects.toThrow(
        /index row (size .* exceeds|requires .* maximum size)/,
      );
    }
  });

  it('are stored, and a replay is recognised', async () => {
    const response = await request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).send([eventA, eventB]);
    expect({ status: response.status, body: response.status === 200 ? undefined : response.body }).toEqual({
      status: 200,
      body: undefined,
    });
    expect(response.body.data.events.map((result: { result: string }) => result.result)).toEqual(['stored', 'stored']);
    ids = response.body.data.events.map((result: { id: string }) => result.id);
    const again = await request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).send([eventA, eventB]).expect(200);
    expect(again.body.data.events).toEqual([
      { id: ids[0], result: 'duplicate' },
      { id: ids[1], result: 'duplicate' },
    ]);
  });

  it('are found by every admin filter', async () => {
    for (const [texts, id] of [
      [a, ids[0]],
      [b, ids[1]],
    ] as const) {
      for (const filter of ['dev_sno', 'ep_id', 'identity_id', 'group_name', 'device_ip', 'device_type'] as const) {
        const response = await adminGet(target, '/api/events', { [filter]: texts[filter], count: 'true' });
        expect({ filter, status: response.status, ids: response.body.items?.map((item: { id: string }) => item.id) }).toEqual({
          filter,
          status: 200,
          ids: [id],
        });
      }
      const byName = await adminGet(target, '/api/events', { identity_name: texts.identity_name.slice(500, 700) }).expect(200);
      expect(byName.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
      const detail = await adminGet(target, `/api/events/${id}`).expect(200);
      expect(detail.body).toMatchObject({ identity_id: texts.identity_id, ext_data: { dev_sno: texts.dev_sno, ep_id: texts.ep_id } });
    }
  });

  const summary = async (groupBy: string) =>
    (
      await adminGet(target, '/api/events/summary', { from: '2024-07-01T00:00:00Z', to: '2024-07-02T00:00:00Z', group_by: groupBy }).expect(
        200,
      )
    ).body.buckets;

  const devicesAndSummaries = async () => {
    const devices = (await adminGet(target, '/api/devices').expect(200)).body.items;
    expect(
      devices.map(
        (box: { dev_sno: string; edge_points: { ep_id: string; device_ip: string; device_type: string; event_count: number }[] }) => ({
          dev_sno: box.dev_sno,
          edge_points: box.edge_points.map(({ ep_id, device_ip, device_type, event_count }) => ({
            ep_id,
            device_ip,
            device_type,
            event_count,
          })),
        }),
      ),
    ).toEqual(
      [a, b]
        .map((texts) => ({
          dev_sno: texts.dev_sno,
          edge_points: [{ ep_id: texts.ep_id, device_ip: texts.device_ip, device_type: texts.device_type, event_count: 1 }],
        }))
        .sort((x, y) => (x.dev_sno < y.dev_sno ? -1 : 1)),
    );
    for (const dimension of ['dev_sno', 'ep_id', 'device_type'] as const) {
      expect(await summary(dimension)).toEqual([
        { start: '2024-07-01T00:00:00+00:00', total: 2, counts: { [a[dimension]]: 1, [b[dimension]]: 1 } },
      ]);
    }
  };

  it('are listed by the device list and counted by the summary, before folding', async () => {
    await devicesAndSummaries();
  });

  it('are folded into the stats, and listed and counted the same after', async () => {
    await foldStats(target);
    const [{ values }] = await target.dataSource.query('SELECT count(*)::int AS values FROM event_count_value WHERE length(value) >= 1500');
    expect(values).toBe(6);
    await devicesAndSummaries();
    // A second event of the same edge point folds into the same rows.
    const later = { ...eventB, timestamp: T0 + 120_000, want_action: '0' };
    await request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).send(later).expect(200);
    await foldStats(target);
    const [{ edgePoints }] = await target.dataSource.query('SELECT count(*)::int AS "edgePoints" FROM edge_point');
    expect(edgePoints).toBe(2);
    expect((await summary('dev_sno'))[0].counts[b.dev_sno]).toBe(2);
  });

  it('reach the gallery through the 1001 and 1002 hooks, which are delivered, and are found there', async () => {
    for (const id of ids) {
      await pollUntil(
        () => deliveriesOf(target.dataSource, id),
        (rows) => rows.length > 0 && rows.every((row) => row.status === 'delivered'),
        { what: `the gallery delivery of event ${id}` },
      );
    }
    for (const [texts, outcome] of [
      [a, 'registered'],
      [b, 'identity_created'],
    ] as const) {
      const list = await adminGet(target, '/api/identities', { identity_id: texts.identity_id }).expect(200);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({ group_name: texts.group_name, identity_id: texts.identity_id, name: texts.identity_name });
      const detail = await adminGet(target, `/api/identities/${list.body.items[0].id}`).expect(200);
      expect(detail.body.history.map((change: { outcome: string }) => change.outcome)).toEqual([outcome]);
      await adminGet(target, list.body.items[0].face_url).expect(200);
      const byGroup = await adminGet(target, '/api/identities', { group_name: texts.group_name }).expect(200);
      expect(byGroup.body.items).toHaveLength(1);
    }
    // Both filters at once (a URL of 1,500 CJK characters twice would pass Node's 16 KB of headers).
    const both = await adminGet(target, '/api/identities', { group_name: b.group_name, identity_id: b.identity_id }).expect(200);
    expect(both.body.items).toHaveLength(1);
  });

  it('beyond 4,096 characters, the event is quarantined naming the field', async () => {
    const event = eventWith('gate-employee.json', { ...b, ep_id: ascii(4_097, 'ec') }, T0 + 180_000);
    const response = await request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).send(event).expect(200);
    expect(response.body.data.events[0]).toMatchObject({
      result: 'quarantined',
      errors: [{ field: 'ext_data.ep_id', message: 'ep_id must be at most 4096 characters' }],
    });
  });
});
