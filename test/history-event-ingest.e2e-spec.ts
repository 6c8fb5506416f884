import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { readSample, sampleEvent, sampleNames } from './support/samples';
import { countRows, loadStoredEvent, rebuildFromDatabase } from './support/stored-events';
import { createTestApp, TestApp } from './support/test-app';

const post = (target: TestApp, body: unknown, path = HISTORY_EVENT_PATH) =>
  request(target.app.getHttpServer()).post(path).set('Content-Type', 'application/json').send(JSON.stringify(body));

type IngestAnswer = { status: number; message: string; data: { events: { id: string; result: string }[] } };

describe('POST /EventServer/api/HistoryEvent', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp();
  });

  afterAll(async () => {
    await target.close();
  });

  describe.each(sampleNames())('the sample %s', (name) => {
    const sample = readSample<unknown>(name);
    const events = (Array.isArray(sample) ? sample : [sample]) as Record<string, any>[];

    it('is acknowledged with 200 and can be rebuilt exactly, images byte for byte, from the database', async () => {
      const response = await post(target, sample).expect(200);
      const answer = response.body as IngestAnswer;
      expect(answer.status).toBe(0);
      expect(answer.message).toBe('SUCCESS');
      expect(answer.data.events).toHaveLength(events.length);

      for (const [index, original] of events.entries()) {
        const { id, result } = answer.data.events[index];
        expect(result).toBe('stored');
        expect(await rebuildFromDatabase(target.dataSource, id)).toEqual(original);

        const stored = await loadStoredEvent(target.dataSource, id);
        const imageTexts: Record<string, string | undefined> = {
          reg_pic: original.reg_pic,
          spot_pic: original.ext_data.spot_pic,
          recognize_face: original.ext_data.recognize_face,
        };
        for (const [kind, text] of Object.entries(imageTexts)) {
          const image = stored.images.find((candidate) => candidate.kind === kind);
          if (text === undefined) {
            expect(image).toBeUndefined();
            continue;
          }
          expect(image?.data.equals(Buffer.from(text, 'base64'))).toBe(true);
          expect(image?.byteSize).toBe(Buffer.from(text, 'base64').length);
          expect(image?.contentType).toBe(text === '' ? null : 'image/jpeg');
        }
      }
    });
  });

  it('stores typed columns: bigint and timestamptz times, double score, the person_type default, unknown keys', async () => {
    const original = sampleEvent('no-person-type-extra-fields.json');
    original.timestamp = 1_700_000_000_123;
    original.firmware = { version: '3.1', channels: [1, 2] };
    const { body } = await post(target, original).expect(200);
    const id = (body as IngestAnswer).data.events[0].id;

    const [row] = await target.dataSource.query(
      `SELECT e.timestamp_ms, e.event_time, e.score, e.extra_fields, x.person_type, x.person_type_sent, x.extra_fields AS ext_extra
         FROM history_event e JOIN history_event_ext_data x ON x.event_id = e.id WHERE e.id = $1`,
      [id],
    );
    expect(row.timestamp_ms).toBe('1700000000123');
    expect(row.event_time.toISOString()).toBe('2023-11-14T22:13:20.123Z');
    expect(row.score).toBe(0.83);
    expect(row.person_type).toBe(1);
    expect(row.person_type_sent).toBe(false);
    expect(row.extra_fields).toEqual({ firmware: { version: '3.1', channels: [1, 2] } });
    expect(row.ext_extra).toEqual({ temperature: 36.6, mask: 1 });
    expect(await rebuildFromDatabase(target.dataSource, id)).toEqual(original);
  });

  it('stores the FIQA objects whole as jsonb, one row per source, with the box verdict as a column', async () => {
    const original = sampleEvent('snapcam-stranger-1001-poor-quality.json');
    original.timestamp += 17;
    original.ext_data.box_fiqa_info.vendor_score = 0.5;
    const { body } = await post(target, original).expect(200);
    const id = (body as IngestAnswer).data.events[0].id;

    const rows = await target.dataSource.query('SELECT * FROM history_event_fiqa WHERE event_id = $1 ORDER BY source', [id]);
    expect(rows.map((row: { source: string }) => row.source)).toEqual(['box', 'grab']);
    const [box, grab] = rows;
    // Only the verdict, which the list shows and filters on, has a column; the rest is read from raw.
    expect(box).toEqual({ event_id: id, source: 'box', fiqa_result: false, raw: original.ext_data.box_fiqa_info });
    expect(grab).toEqual({ event_id: id, source: 'grab', fiqa_result: null, raw: original.ext_data.grab_fiqa_info });
    expect(box.raw).toMatchObject({
      fiqa_result: false,
      info: { face_size: 255, clarity: 1.285613331998212, partial: false, headpose: { roll_angle: 10.107 } },
      success: ['face_size', 'headpose', 'partial'],
      fails: ['clarity', 'brightness'],
      age: 4,
      sex: 1,
      vendor_score: 0.5,
    });
    expect(grab.raw).toMatchObject({ confidence: 90, face_id: 1381, rect: { top: 420 }, rel_rect: { right: 134 }, eye_dist: 82 });
  });

  it('records when and from which address each event was received', async () => {
    const original = sampleEvent();
    original.timestamp += 1;
    const before = Date.now();
    const { body } = await post(target, original).expect(200);
    const [row] = await target.dataSource.query(
      'SELECT received_at, host(received_from) AS received_from FROM history_event WHERE id = $1',
      [(body as IngestAnswer).data.events[0].id],
    );
    expect(row.received_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.received_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1']).toContain(row.received_from);
  });

  it('answers at /HistoryEvent too, the path of the box sample receiver', async () => {
    const original = sampleEvent();
    original.timestamp += 2;
    const { body } = await post(target, original, '/HistoryEvent').expect(200);
    expect((body as IngestAnswer).data.events[0].result).toBe('stored');
  });

  it('keeps a data: URL prefix, so that the image text is rebuilt as sent', async () => {
    const original = sampleEvent('gate-employee.json');
    original.timestamp += 3;
    original.reg_pic = `data:image/jpeg;base64,${original.reg_pic}`;
    const { body } = await post(target, original).expect(200);
    const id = (body as IngestAnswer).data.events[0].id;
    expect(await rebuildFromDatabase(target.dataSource, id)).toEqual(original);
  });

  it('reads the image type from the bytes, not from the prefix', async () => {
    const original = sampleEvent('gate-employee.json');
    original.timestamp += 4;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    original.ext_data.recognize_face = `data:image/jpeg;base64,${png.toString('base64')}`;
    const { body } = await post(target, original).expect(200);
    const stored = await loadStoredEvent(target.dataSource, (body as IngestAnswer).data.events[0].id);
    expect(stored.images.find((image) => image.kind === 'recognize_face')?.contentType).toBe('image/png');
  });

  describe('exactly once', () => {
    it('answers a replay with duplicate and the id of the original, and stores nothing new', async () => {
      const original = sampleEvent('gallery-update-1002.json');
      const first = (await post(target, original).expect(200)).body as IngestAnswer;
      const events = await countRows(target.dataSource, 'history_event');
      const images = await countRows(target.dataSource, 'history_event_image');

      const replay = (await post(target, original).expect(200)).body as IngestAnswer;
      expect(replay.data.events).toEqual([{ id: first.data.events[0].id, result: 'duplicate' }]);
      expect(await countRows(target.dataSource, 'history_event')).toBe(events);
      expect(await countRows(target.dataSource, 'history_event_image')).toBe(images);
    });

    it('stores one row for twenty identical requests sent at once', async () => {
      const original = sampleEvent('gate-employee.json');
      original.timestamp = 1_650_000_000_000;
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(target, original)));
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));

      const results = answers.map((answer) => (answer.body as IngestAnswer).data.events[0]);
      expect(results.filter((result) => result.result === 'stored')).toHaveLength(1);
      expect(results.filter((result) => result.result === 'duplicate')).toHaveLength(19);
      expect(new Set(results.map((result) => result.id)).size).toBe(1);
      const [{ count }] = await target.dataSource.query('SELECT count(*)::int AS count FROM history_event WHERE timestamp_ms = $1', [
        original.timestamp,
      ]);
      expect(count).toBe(1);
    });

    it('stores the first of two copies in one batch and answers the second as its duplicate', async () => {
      const original = sampleEvent('gate-employee.json');
      original.timestamp = 1_650_000_000_001;
      const { body } = await post(target, [original, original]).expect(200);
      const [first, second] = (body as IngestAnswer).data.events;
      expect(first.result).toBe('stored');
      expect(second).toEqual({ id: first.id, result: 'duplicate' });
    });

    it('tells events apart by box, capture device, time, identity and score', async () => {
      const base = sampleEvent('gate-employee.json');
      base.timestamp = 1_650_000_000_100;
      const variants = [
        base,
        { ...base, identity_id: 'someone-else' },
        { ...base, score: 0.84 },
        { ...base, timestamp: base.timestamp + 1 },
        { ...base, ext_data: { ...base.ext_data, dev_sno: 'another-box' } },
        { ...base, ext_data: { ...base.ext_data, ep_id: 'another-box__10.0.0.9' } },
      ];
      const { body } = await post(target, variants).expect(200);
      const results = (body as IngestAnswer).data.events;
      expect(results.map((result) => result.result)).toEqual(Array(6).fill('stored'));
      expect(new Set(results.map((result) => result.id)).size).toBe(6);
    });
  });

  describe('batches', () => {
    it('answers one entry per event, in request order', async () => {
      const batch = readSample<Record<string, any>[]>('batch-of-3.json').map((event) => ({
        ...event,
        timestamp: event.timestamp + 10_000,
      }));
      const { body } = await post(target, batch).expect(200);
      const results = (body as IngestAnswer).data.events;
      expect(results.map((result) => result.result)).toEqual(['stored', 'stored', 'stored']);
      for (const [index, event] of batch.entries()) {
        expect(await rebuildFromDatabase(target.dataSource, results[index].id)).toEqual(event);
      }
    });

    it('accepts 100 events and refuses 101 with 400, storing nothing', async () => {
      const [template] = readSample<Record<string, any>[]>('batch-of-3.json');
      const batch = (size: number, offset: number) =>
        Array.from({ length: size }, (_, index) => ({ ...template, timestamp: 1_660_000_000_000 + offset + index }));

      const ok = (await post(target, batch(100, 0)).expect(200)).body as IngestAnswer;
      expect(ok.data.events).toHaveLength(100);

      const before = await countRows(target.dataSource, 'history_event');
      const refused = await post(target, batch(101, 1000)).expect(400);
      expect(refused.body).toEqual({
        status: 400,
        message: 'a batch holds 1 to 100 events; this one holds 101',
        errors: [],
      });
      expect(await countRows(target.dataSource, 'history_event')).toBe(before);
    });

    it('quarantines the bad event of a batch and stores the others', async () => {
      const [good, bad, alsoGood] = readSample<Record<string, any>[]>('batch-of-3.json').map((event): Record<string, any> => ({
        ...event,
        timestamp: event.timestamp + 20_000,
      }));
      delete bad.ext_data.ep_id;
      const { body } = await post(target, [good, bad, alsoGood]).expect(200);
      const results = (body as IngestAnswer).data.events;
      expect(results.map((result) => result.result)).toEqual(['stored', 'quarantined', 'stored']);
      expect(results[1]).toMatchObject({ errors: [{ field: 'ext_data.ep_id', message: 'ep_id is required' }] });
    });
  });
});
