import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { freshEvent, readSample } from './support/samples';
import { countRows, rebuildFromDatabase } from './support/stored-events';
import { createTestApp, TestApp } from './support/test-app';

type Result = { id: string; result: string; errors?: { field: string; message: string }[] };
type IngestAnswer = { data: { events: Result[] } };

/** A valid event (the seed example), made distinct so that it is never a duplicate of another test's. */

const postText = (target: TestApp, text: string, contentType = 'application/json') =>
  request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).set('Content-Type', contentType).send(text);

const post = (target: TestApp, body: unknown) => postText(target, JSON.stringify(body));

async function resultOf(target: TestApp, body: unknown): Promise<Result> {
  const response = await post(target, body).expect(200);
  return (response.body as IngestAnswer).data.events[0];
}

describe('HistoryEvent validation', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp();
  });

  afterAll(async () => {
    await target.close();
  });

  describe('quarantines, with the field named, an event whose', () => {
    const png1x1 = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex').toString('base64');
    const cases: [string, (event: Record<string, any>) => void, string, RegExp][] = [
      ['identity_id is missing', (e) => delete e.identity_id, 'identity_id', /required/],
      ['identity_id is a number', (e) => (e.identity_id = 13028), 'identity_id', /string/],
      ['identity_id is empty', (e) => (e.identity_id = ''), 'identity_id', /empty/],
      [
        'identity_id is an object with a "constructor" key (class-transformer took it for a class: 500)',
        (e) => (e.identity_id = JSON.parse('{"constructor":{"prototype":{"polluted":true}}}')),
        'identity_id',
        /string/,
      ],
      ['identity_name is missing', (e) => delete e.identity_name, 'identity_name', /required/],
      ['identity_name is 4,097 characters', (e) => (e.identity_name = 'x'.repeat(4097)), 'identity_name', /at most 4096/],
      ['identity_name holds a NUL', (e) => (e.identity_name = 'To\u0000m'), 'identity_name', /NUL/],
      ['group_name is a number', (e) => (e.group_name = 7), 'group_name', /string/],
      ['timestamp is a string of digits', (e) => (e.timestamp = '1565771454932'), 'timestamp', /whole number/],
      ['timestamp has a fraction', (e) => (e.timestamp = 1565771454932.5), 'timestamp', /whole number/],
      ['timestamp is negative', (e) => (e.timestamp = -1), 'timestamp', /negative/],
      ['timestamp is past year 9999', (e) => (e.timestamp = 1e16), 'timestamp', /year 10000/],
      ['score is missing', (e) => delete e.score, 'score', /required/],
      ['score is a string', (e) => (e.score = '0.8'), 'score', /finite number/],
      ['want_action is not one of the three', (e) => (e.want_action = '1003'), 'want_action', /"0", "1001", "1002"/],
      ['want_action is a number', (e) => (e.want_action = 1001), 'want_action', /one of/],
      ['ext_data is missing', (e) => delete e.ext_data, 'ext_data', /required/],
      ['ext_data is a string', (e) => (e.ext_data = '{}'), 'ext_data', /object/],
      ['ext_data is an array', (e) => (e.ext_data = []), 'ext_data', /object/],
      ['ext_data.device_ip is missing', (e) => delete e.ext_data.device_ip, 'ext_data.device_ip', /required/],
      ['ext_data.ep_id is empty', (e) => (e.ext_data.ep_id = ''), 'ext_data.ep_id', /empty/],
      ['ext_data.person_type is 6', (e) => (e.ext_data.person_type = 6), 'ext_data.person_type', /1, 2, 3, 4, 5/],
      ['ext_data.person_type is "1"', (e) => (e.ext_data.person_type = '1'), 'ext_data.person_type', /one of/],
      ['ext_data.person_type is null', (e) => (e.ext_data.person_type = null), 'ext_data.person_type', /one of/],
      ['ext_data.device_type is a number', (e) => (e.ext_data.device_type = 0), 'ext_data.device_type', /string/],
      ['ext_data.dev_sno is missing', (e) => delete e.ext_data.dev_sno, 'ext_data.dev_sno', /required/],
      ['ext_data.dev_sno is null', (e) => (e.ext_data.dev_sno = null), 'ext_data.dev_sno', /required/],
      ['grab_fiqa_info is missing', (e) => delete e.ext_data.grab_fiqa_info, 'ext_data.grab_fiqa_info', /required/],
      ['box_fiqa_info is a string', (e) => (e.ext_data.box_fiqa_info = 'ok'), 'ext_data.box_fiqa_info', /object/],
      [
        'fiqa_result is "yes"',
        (e) => (e.ext_data.box_fiqa_info.fiqa_result = 'yes'),
        'ext_data.box_fiqa_info.fiqa_result',
        /true or false/,
      ],
      [
        'a head pose angle is text',
        (e) => (e.ext_data.box_fiqa_info.info.headpose.roll_angle = 'ten'),
        'ext_data.box_fiqa_info.info.headpose.roll_angle',
        /finite number/,
      ],
      [
        'a grab rectangle edge is text',
        (e) => (e.ext_data.grab_fiqa_info.rect.top = '420'),
        'ext_data.grab_fiqa_info.rect.top',
        /finite number/,
      ],
      ['success holds a number', (e) => (e.ext_data.box_fiqa_info.success = [1]), 'ext_data.box_fiqa_info.success', /strings/],
      ['sex is out of range', (e) => (e.ext_data.grab_fiqa_info.sex = 40000), 'ext_data.grab_fiqa_info.sex', /32767/],
      ['face_id has a fraction', (e) => (e.ext_data.grab_fiqa_info.face_id = 1.5), 'ext_data.grab_fiqa_info.face_id', /integer/],
      ['reg_pic is not base64', (e) => (e.reg_pic = 'not base64!'), 'reg_pic', /not base64/],
      ['reg_pic is null', (e) => (e.reg_pic = null), 'reg_pic', /base64 string/],
      ['reg_pic is a number', (e) => (e.reg_pic = 12), 'reg_pic', /base64 string/],
      ['spot_pic is truncated', (e) => (e.ext_data.spot_pic = e.ext_data.spot_pic.slice(0, -1)), 'ext_data.spot_pic', /multiple of 4/],
      [
        'recognize_face uses the URL-safe alphabet',
        (e) => (e.ext_data.recognize_face = e.ext_data.recognize_face.replace(/\+/g, '-').replace(/\//g, '_')),
        'ext_data.recognize_face',
        /alphabet/,
      ],
      [
        'recognize_face is base64 of text, not an image',
        (e) => (e.ext_data.recognize_face = Buffer.from('hello, world').toString('base64')),
        'ext_data.recognize_face',
        /not an image/,
      ],
      ['reg_pic has a malformed data URL', (e) => (e.reg_pic = `data:image/png,${png1x1}`), 'reg_pic', /data: prefix/],
      ['an unknown top-level key named like an ext_data image holds a NUL', (e) => (e.spot_pic = 'a\u0000b'), 'spot_pic', /NUL/],
      [
        'an unknown key holds an unpaired surrogate',
        (e) => (e.ext_data.note = 'broken \ud800 text'),
        'ext_data.note',
        /unpaired surrogate/,
      ],
    ];

    it.each(cases)('%s', async (_, mutate, field, message) => {
      const event = freshEvent('seed-example.json');
      mutate(event);
      const result = await resultOf(target, event);
      expect(result.result).toBe('quarantined');
      expect(result.errors).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(message) }]));
    });

    it('is not an object', async () => {
      const { body } = await post(target, [freshEvent('seed-example.json'), 5, 'event']).expect(200);
      const [valid, number, text] = (body as IngestAnswer).data.events;
      expect(valid.result).toBe('stored');
      for (const result of [number, text]) {
        expect(result).toMatchObject({
          result: 'quarantined',
          errors: [{ field: '', message: 'an event must be a JSON object' }],
        });
      }
    });

    it('holds a number too large for a double (1e400 parses as Infinity)', async () => {
      const text = JSON.stringify(freshEvent('seed-example.json')).replace(/"score":[^,]+/, '"score":1e400');
      const response = await postText(target, text).expect(200);
      const result = (response.body as IngestAnswer).data.events[0];
      expect(result).toMatchObject({ result: 'quarantined', errors: [{ field: 'score', message: 'score must be a finite number' }] });
    });
  });

  describe('accepts, as the spec allows', () => {
    const cases: [string, (event: Record<string, any>) => void][] = [
      ['an empty dev_sno (box not in managed mode)', (e) => (e.ext_data.dev_sno = '')],
      ['a score on the 0-100 scale', (e) => (e.score = 87.5)],
      ['a negative score', (e) => (e.score = -0.25)],
      ['a timestamp beyond int32', (e) => (e.timestamp = 4_102_444_800_000)],
      ['device_type "2" of early firmware', (e) => (e.ext_data.device_type = '2')],
      ['images switched off ("")', (e) => (e.reg_pic = e.ext_data.spot_pic = e.ext_data.recognize_face = '')],
      ['images left out', (e) => (delete e.reg_pic, delete e.ext_data.spot_pic, delete e.ext_data.recognize_face)],
      ['FIQA objects of other device modes ({})', (e) => (e.ext_data.grab_fiqa_info = e.ext_data.box_fiqa_info = {})],
      ['null inside a FIQA object', (e) => (e.ext_data.grab_fiqa_info.age = null)],
      [
        'unknown keys at the top, in ext_data and in FIQA',
        (e) => ((e.api = { v: [1, 'two', null] }), (e.ext_data.temperature = 36.6), (e.ext_data.box_fiqa_info.mask = true)),
      ],
      [
        'keys named __proto__ and constructor',
        (e) => (Object.defineProperty(e, '__proto__', { value: { polluted: 1 }, enumerable: true }), (e.ext_data.constructor = 'x')),
      ],
      ['a PNG face', (e) => (e.ext_data.recognize_face = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64'))],
      ['identity_name in Chinese with an emoji', (e) => (e.identity_name = '张三 🙂')],
    ];

    it.each(cases)('%s, and rebuilds it exactly', async (_, mutate) => {
      const event = freshEvent('seed-example.json');
      mutate(event);
      const result = await resultOf(target, event);
      expect(result).toMatchObject({ result: 'stored' });
      expect(await rebuildFromDatabase(target.dataSource, result.id)).toEqual(event);
      expect(({} as { polluted?: number }).polluted).toBeUndefined();
    });
  });

  describe('the quarantine', () => {
    it('keeps the raw event and its errors, and the same bad event once however often it is sent', async () => {
      const event = freshEvent('seed-example.json');
      event.ext_data.person_type = 9;
      const first = await resultOf(target, event);
      const second = await resultOf(target, event);
      expect(second).toEqual(first);

      const [row] = await target.dataSource.query('SELECT payload, format, errors, dev_sno FROM quarantined_event WHERE id = $1', [
        first.id,
      ]);
      expect(JSON.parse(row.payload)).toEqual(event);
      expect(row.format).toBe('json');
      expect(row.errors).toEqual(first.errors);
      expect(row.dev_sno).toBe(event.ext_data.dev_sno);
    });

    it('keeps an event whose text PostgreSQL cannot store in a jsonb column', async () => {
      const event = freshEvent('seed-example.json');
      event.identity_name = 'nul\u0000name';
      event.ext_data.dev_sno = 'box\u0000';
      const result = await resultOf(target, event);
      expect(result.result).toBe('quarantined');
      const [row] = await target.dataSource.query('SELECT payload, dev_sno FROM quarantined_event WHERE id = $1', [result.id]);
      expect(JSON.parse(row.payload)).toEqual(event);
      expect(row.dev_sno).toBeNull();
    });
  });

  describe('under INVALID_EVENT_POLICY=reject', () => {
    let strict: TestApp;

    beforeAll(async () => {
      strict = await createTestApp({ INVALID_EVENT_POLICY: 'reject' });
    });

    afterAll(async () => {
      await strict.close();
    });

    it('answers 400 with the errors and stores nothing', async () => {
      const event = freshEvent('seed-example.json');
      event.ext_data.person_type = 0;
      const response = await post(strict, event).expect(400);
      expect(response.body).toEqual({
        status: 400,
        message: '1 of 1 events failed validation; nothing was stored',
        errors: [{ field: 'ext_data.person_type', message: 'person_type must be one of 1, 2, 3, 4, 5' }],
      });
      expect(await countRows(strict.dataSource, 'history_event')).toBe(0);
      expect(await countRows(strict.dataSource, 'quarantined_event')).toBe(0);
    });

    it('refuses a whole batch for one bad event, naming it by its index', async () => {
      const batch = readSample<Record<string, any>[]>('batch-of-3.json');
      delete batch[1].ext_data.ep_id;
      const response = await post(strict, batch).expect(400);
      expect(response.body).toMatchObject({
        status: 400,
        errors: [{ field: '[1].ext_data.ep_id', message: 'ep_id is required' }],
      });
      expect(await countRows(strict.dataSource, 'history_event')).toBe(0);
    });

    it('still stores valid events', async () => {
      const result = (await post(strict, freshEvent('seed-example.json')).expect(200)).body as IngestAnswer;
      expect(result.data.events[0].result).toBe('stored');
    });
  });
});
