import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { RetentionService } from '../src/retention/retention.service';
import { freshEvent } from './support/samples';
import { countRows } from './support/stored-events';
import { createTestApp, TestApp } from './support/test-app';

describe('retention', () => {
  let target: TestApp;
  const ids: Record<string, string> = {};
  const bodies: Record<string, Record<string, any>> = {};

  /** Uploads `body`, then makes it look as if it had been received `days` ago. */
  async function receivedDaysAgo(label: string, days: number, body: Record<string, any>): Promise<string> {
    const { body: answer } = await request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).send(body).expect(200);
    const { result } = answer.data.events[0];
    const id = result === 'conflict' ? answer.data.events[0].conflict_id : answer.data.events[0].id;
    const table = result === 'quarantined' ? 'quarantined_event' : result === 'conflict' ? 'event_conflict' : 'history_event';
    bodies[label] = body;
    await target.dataSource.query(`UPDATE ${table} SET received_at = now() - make_interval(days => $2) WHERE id = $1`, [id, days]);
    ids[label] = id;
    return id;
  }

  const imagesOf = async (id: string) =>
    (await target.dataSource.query('SELECT kind FROM history_event_image WHERE event_id = $1 ORDER BY kind', [id])).map(
      (row: { kind: string }) => row.kind,
    );
  const exists = async (table: string, id: string) =>
    (await target.dataSource.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).length === 1;

  beforeAll(async () => {
    target = await createTestApp({
      IMAGE_RETENTION_DAYS: '30',
      STRANGER_IMAGE_RETENTION_DAYS: '7',
      EVENT_RETENTION_DAYS: '365',
      QUARANTINE_RETENTION_DAYS: '90',
      RETENTION_BATCH_SIZE: '10',
    });
    // Oldest first: ids grow with reception time, as they do in production.
    await receivedDaysAgo('expired stranger 1001', 400, freshEvent('snapcam-stranger-1001.json'));
    await receivedDaysAgo('expired employee', 380, freshEvent('gate-employee.json'));
    for (let index = 0; index < 25; index++) await receivedDaysAgo(`old employee ${index}`, 40, freshEvent('gate-employee.json'));
    await receivedDaysAgo('week-old stranger', 10, freshEvent('snapcam-stranger-1001.json'));
    await receivedDaysAgo('week-old employee', 10, freshEvent('gate-employee.json'));
    await receivedDaysAgo('recent stranger', 3, freshEvent('snapcam-stranger-1001.json'));
    await receivedDaysAgo('old quarantined', 100, { ...freshEvent('gate-employee.json'), score: 'bad' });
    await receivedDaysAgo('recent quarantined', 10, { ...freshEvent('gate-employee.json'), score: 'worse' });
    // Copies of stored events with other content: kept for review as long as quarantined events.
    await receivedDaysAgo('old conflict', 100, { ...bodies['week-old employee'], identity_name: 'renamed once' });
    await receivedDaysAgo('recent conflict', 10, { ...bodies['week-old employee'], identity_name: 'renamed twice' });
    await receivedDaysAgo('recent conflict of an expired event', 5, { ...bodies['expired employee'], identity_name: 'renamed' });
  });

  afterAll(async () => {
    await target.close();
  });

  it('shows in a dry run what would go, and removes nothing', async () => {
    const before = await countRows(target.dataSource, 'history_event_image');
    const report = await target.app.get(RetentionService).run({ dryRun: true });
    expect(report).toEqual({ events: 2, quarantine: 1, conflicts: 1, images: 25 * 3, stranger_images: 3 });
    expect(await countRows(target.dataSource, 'history_event_image')).toBe(before);
  });

  it('removes what it should and nothing else, in small batches', async () => {
    const report = await target.app.get(RetentionService).run();
    expect(report).toEqual({ events: 2, quarantine: 1, conflicts: 1, images: 25 * 3, stranger_images: 3 });

    // Events past EVENT_RETENTION_DAYS are gone with everything that belongs to them.
    for (const label of ['expired stranger 1001', 'expired employee']) {
      expect(await exists('history_event', ids[label])).toBe(false);
      for (const table of ['history_event_ext_data', 'history_event_fiqa', 'history_event_image', 'hook']) {
        const rows = await target.dataSource.query(`SELECT 1 FROM ${table} WHERE event_id = $1`, [ids[label]]);
        expect(rows).toEqual([]);
      }
    }
    // Past IMAGE_RETENTION_DAYS the event stays without its images.
    expect(await exists('history_event', ids['old employee 0'])).toBe(true);
    expect(await imagesOf(ids['old employee 24'])).toEqual([]);
    // Strangers lose theirs sooner (three rows: the box sends reg_pic as ""); others of the same age keep them.
    expect(await imagesOf(ids['week-old stranger'])).toEqual([]);
    expect(await imagesOf(ids['week-old employee'])).toEqual(['recognize_face', 'reg_pic', 'spot_pic']);
    expect(await imagesOf(ids['recent stranger'])).toEqual(['recognize_face', 'reg_pic', 'spot_pic']);
    // Quarantined events past QUARANTINE_RETENTION_DAYS go, younger ones stay.
    expect(await exists('quarantined_event', ids['old quarantined'])).toBe(false);
    expect(await exists('quarantined_event', ids['recent quarantined'])).toBe(true);
    // So do conflicting copies; a copy of an event that goes goes with it.
    expect(await exists('event_conflict', ids['old conflict'])).toBe(false);
    expect(await exists('event_conflict', ids['recent conflict'])).toBe(true);
    expect(await exists('event_conflict', ids['recent conflict of an expired event'])).toBe(false);
  });

  it('finds nothing more to do on the next run, and /metrics shows what it removed', async () => {
    expect(await target.app.get(RetentionService).run()).toEqual({ events: 0, quarantine: 0, conflicts: 0, images: 0, stranger_images: 0 });
    const text = (await request(target.app.getHttpServer()).get('/metrics').expect(200)).text;
    expect(text).toContain('se3_retention_removed_total{kind="events"} 2');
    expect(text).toContain('se3_retention_removed_total{kind="images"} 75');
    expect(text).toContain('se3_retention_removed_total{kind="stranger_images"} 3');
    expect(text).toContain('se3_retention_removed_total{kind="quarantine"} 1');
    expect(text).toContain('se3_retention_removed_total{kind="conflicts"} 1');
  });

  it('leaves the space reusable: as many new images again do not grow the table', async () => {
    const size = async () =>
      Number((await target.dataSource.query(`SELECT pg_total_relation_size('history_event_image') AS bytes`))[0].bytes);
    const afterRemoval = await size();
    for (let index = 0; index < 25; index++) {
      await request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).send(freshEvent('gate-employee.json')).expect(200);
    }
    expect(await size()).toBeLessThanOrEqual(afterRemoval * 1.1);
  });
});
