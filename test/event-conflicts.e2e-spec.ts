import { createHash } from 'node:crypto';
import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { adminGet } from './support/admin-api';
import { formFields, freshEvent, nextTimestamp, readSample, sampleNames } from './support/samples';
import { countRows } from './support/stored-events';
import { createTestApp, TestApp } from './support/test-app';

interface Answer {
  id: string;
  result: string;
  conflict_id?: string;
  differences?: string[];
}

/** The gate sample (want_action 0, three images) at a time of its own. */
const clone = <T>(value: T): T => structuredClone(value);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describe('a copy of a stored event with the same dedup key but other content (a conflict)', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp();
  });

  afterAll(async () => {
    await target.close();
  });

  const post = async (body: unknown): Promise<Answer[]> => {
    const response = await request(target.app.getHttpServer())
      .post(HISTORY_EVENT_PATH)
      .send(body as object)
      .expect(200);
    return response.body.data.events;
  };
  const rowCounts = async () => ({
    events: await countRows(target.dataSource, 'history_event'),
    images: await countRows(target.dataSource, 'history_event_image'),
    hooks: await countRows(target.dataSource, 'hook'),
    conflicts: await countRows(target.dataSource, 'event_conflict'),
  });
  const metric = async (result: string) => {
    const text = (await request(target.app.getHttpServer()).get('/metrics').expect(200)).text;
    return text
      .split('\n')
      .filter((line) => line.startsWith(`se3_ingest_events_total{result="${result}"`))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  };

  it('answers an identical re-send as a plain duplicate and writes nothing', async () => {
    const event = freshEvent();
    const [stored] = await post(event);
    const before = await rowCounts();
    // The same content with its keys in another order (as another serialiser would write it) is the same event.
    const reordered = Object.fromEntries(Object.entries(clone(event)).reverse());
    reordered.ext_data = Object.fromEntries(Object.entries(event.ext_data).reverse());
    expect(await post(event)).toEqual([{ id: stored.id, result: 'duplicate' }]);
    expect(await post(reordered)).toEqual([{ id: stored.id, result: 'duplicate' }]);
    expect(await rowCounts()).toEqual(before);
  });

  it('keeps a copy that changes want_action, counts it, lists it, and withholds its hook', async () => {
    const event = freshEvent();
    const [stored] = await post(event);
    const conflictsBefore = await metric('conflict');
    const before = await rowCounts();

    const copy = { ...clone(event), want_action: '1001' };
    const [answer] = await post(copy);
    expect(answer).toEqual({
      id: stored.id,
      result: 'conflict',
      conflict_id: expect.stringMatching(/^\d+$/),
      differences: ['want_action'],
    });
    // Nothing acknowledged is lost: the copy is committed before the 200; no event, image or hook is added.
    expect(await rowCounts()).toEqual({ ...before, conflicts: before.conflicts + 1 });
    expect(await metric('conflict')).toBe(conflictsBefore + 1);

    const listed = (await adminGet(target, '/api/conflicts', { event_id: stored.id }).expect(200)).body;
    expect(listed).toEqual({
      items: [
        {
          id: answer.conflict_id,
          event_id: stored.id,
          received_at: expect.any(String),
          received_from: expect.stringMatching(/127\.0\.0\.1/),
          format: 'json',
          fields: ['want_action'],
          withheld_hook: 'stranger.registration',
        },
      ],
      next_cursor: null,
    });
    const detail = (await adminGet(target, `/api/conflicts/${answer.conflict_id}`).expect(200)).body;
    expect(detail).toEqual({
      ...listed.items[0],
      differences: [{ field: 'want_action', stored: '0', copy: '1001' }],
      event: copy,
    });
  });

  it('names each field that differs: names, person type, images, FIQA objects, unknown keys, missing fields', async () => {
    const event = freshEvent();
    event.ext_data.grab_fiqa_info = { confidence: 0.9, rect: { top: 1, left: 2 } };
    const [stored] = await post(event);
    const variants: [string[], (copy: Record<string, any>) => void][] = [
      [['identity_name'], (copy) => (copy.identity_name = 'Thomas')],
      [['ext_data.person_type'], (copy) => (copy.ext_data.person_type = 3)],
      [['ext_data.person_type'], (copy) => delete copy.ext_data.person_type],
      [['ext_data.spot_pic'], (copy) => (copy.ext_data.spot_pic = PNG.toString('base64'))],
      [['reg_pic'], (copy) => (copy.reg_pic = `data:image/jpeg;base64,${copy.reg_pic}`)],
      [['reg_pic'], (copy) => delete copy.reg_pic],
      [['ext_data.grab_fiqa_info'], (copy) => (copy.ext_data.grab_fiqa_info.rect.top = 2)],
      [['firmware'], (copy) => (copy.firmware = 'v2')],
      [['ext_data.temperature'], (copy) => (copy.ext_data.temperature = 36.6)],
      [['group_name', 'want_action'], (copy) => Object.assign(copy, { group_name: 'vip', want_action: '1002' })],
    ];
    const copies = variants.map(([, change]) => {
      const copy = clone(event);
      change(copy);
      return copy;
    });
    const answers = await post(copies);
    expect(answers.map((answer) => [answer.result, answer.id, answer.differences])).toEqual(
      variants.map(([fields]) => ['conflict', stored.id, fields]),
    );
    expect(new Set(answers.map((answer) => answer.conflict_id)).size).toBe(variants.length);

    const image = (base64: string) => ({
      sha256: createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex'),
      byte_size: Buffer.from(base64, 'base64').length,
      data_url_prefix: null,
    });
    const spot = (await adminGet(target, `/api/conflicts/${answers[3].conflict_id}`).expect(200)).body;
    expect(spot.differences).toEqual([
      { field: 'ext_data.spot_pic', stored: image(event.ext_data.spot_pic), copy: image(PNG.toString('base64')) },
    ]);
    expect(spot.event).toEqual(copies[3]);
    const missing = (await adminGet(target, `/api/conflicts/${answers[5].conflict_id}`).expect(200)).body;
    expect(missing.differences).toEqual([{ field: 'reg_pic', stored: image(event.reg_pic) }]);
    const added = (await adminGet(target, `/api/conflicts/${answers[7].conflict_id}`).expect(200)).body;
    expect(added.differences).toEqual([{ field: 'firmware', copy: 'v2' }]);
    expect(added.withheld_hook).toBeNull();
  });

  it('keeps a differing copy sent as a form, and compares an identical form upload as a duplicate', async () => {
    const event = freshEvent();
    const [stored] = await post(event);
    const form = (body: Record<string, any>) =>
      request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).type('form').send(formFields(body)).expect(200);
    expect((await form(event)).body.data.events).toEqual([{ id: stored.id, result: 'duplicate' }]);
    const [answer] = (await form({ ...event, identity_name: 'From a form' })).body.data.events;
    expect(answer).toMatchObject({ id: stored.id, result: 'conflict', differences: ['identity_name'] });
    const detail = (await adminGet(target, `/api/conflicts/${answer.conflict_id}`).expect(200)).body;
    expect(detail).toMatchObject({ format: 'form', event: { ...event, identity_name: 'From a form' } });
  });

  it('keeps each distinct copy once: the same differing copy sent again answers with the same conflict', async () => {
    const event = freshEvent();
    const [stored] = await post(event);
    const copy = { ...clone(event), identity_name: 'someone else' };
    const [first] = await post(copy);
    const before = await rowCounts();
    const [again] = await post(copy);
    expect(again).toEqual(first);
    expect(await rowCounts()).toEqual(before);
    expect(first).toMatchObject({ id: stored.id, result: 'conflict' });
  });

  it('within one batch: the first copy is stored, an identical one is its duplicate, a differing one a conflict', async () => {
    const event = freshEvent();
    const copy = { ...clone(event), want_action: '1002' };
    const answers = await post([event, event, copy, copy]);
    expect(answers.map((answer) => answer.result)).toEqual(['stored', 'duplicate', 'conflict', 'conflict']);
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
    expect(answers[3].conflict_id).toBe(answers[2].conflict_id);
    expect((await adminGet(target, '/api/conflicts', { event_id: answers[0].id }).expect(200)).body.items).toHaveLength(1);
    // The stored event's hooks are those of the first copy only.
    const hooks = await target.dataSource.query(`SELECT "type" FROM "hook" WHERE "event_id" = $1`, [answers[0].id]);
    expect(hooks).toEqual([]);
  });

  it('settles copies racing each other: one event, one conflict row, every answer consistent', async () => {
    const event = freshEvent();
    const copy = { ...clone(event), identity_name: 'raced' };
    const bodies = Array.from({ length: 12 }, (_, index) => (index % 2 === 0 ? event : copy));
    const answers = (await Promise.all(bodies.map((body) => post(body)))).map(([answer]) => answer);
    const stored = answers.filter((answer) => answer.result === 'stored');
    expect(stored).toHaveLength(1);
    const storedIndex = answers.indexOf(stored[0]);
    const winner = bodies[storedIndex];
    answers.forEach((answer, index) => {
      expect(answer.id).toBe(stored[0].id);
      if (index !== storedIndex) expect(answer.result).toBe(bodies[index] === winner ? 'duplicate' : 'conflict');
    });
    const conflictIds = new Set(answers.filter((answer) => answer.result === 'conflict').map((answer) => answer.conflict_id));
    expect(conflictIds.size).toBe(1);
    expect((await adminGet(target, '/api/conflicts', { event_id: stored[0].id }).expect(200)).body.items).toHaveLength(1);
  });

  it.each(sampleNames().filter((name) => name !== 'batch-of-3.json'))(
    'compares events stored before content keys existed (worked out from the rows): %s',
    async (name) => {
      const event = readSample<Record<string, any>>(name);
      event.timestamp = nextTimestamp();
      const [stored] = await post(event);
      const [{ content_key: original }] = await target.dataSource.query(`SELECT "content_key" FROM "history_event" WHERE "id" = $1`, [
        stored.id,
      ]);
      await target.dataSource.query(`UPDATE "history_event" SET "content_key" = NULL WHERE "id" = $1`, [stored.id]);

      expect(await post(event)).toEqual([{ id: stored.id, result: 'duplicate' }]);
      const [{ content_key: rebuilt }] = await target.dataSource.query(`SELECT "content_key" FROM "history_event" WHERE "id" = $1`, [
        stored.id,
      ]);
      expect(rebuilt.toString('hex')).toBe(original.toString('hex'));

      await target.dataSource.query(`UPDATE "history_event" SET "content_key" = NULL WHERE "id" = $1`, [stored.id]);
      const [conflict] = await post({ ...event, score_note: 'added later' });
      expect(conflict).toMatchObject({ id: stored.id, result: 'conflict', differences: ['score_note'] });
    },
  );

  it('pages the list by key, newest first, and answers bad parameters in the error shape', async () => {
    const event = freshEvent();
    const [stored] = await post(event);
    const answers = await post(['a', 'b', 'c'].map((name) => ({ ...clone(event), identity_name: name })));
    const ids = answers.map((answer) => answer.conflict_id).reverse();
    const first = (await adminGet(target, '/api/conflicts', { event_id: stored.id, limit: 2 }).expect(200)).body;
    expect(first.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(0, 2));
    const second = (await adminGet(target, '/api/conflicts', { event_id: stored.id, limit: 2, cursor: first.next_cursor }).expect(200))
      .body;
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[2] })], next_cursor: null });

    expect((await adminGet(target, '/api/conflicts/999999').expect(404)).body).toEqual({
      status: 404,
      message: 'there is no conflict 999999',
      errors: [],
    });
    expect((await adminGet(target, '/api/conflicts/abc').expect(400)).body.errors).toEqual([
      { field: 'id', message: 'id must be a positive whole number (an id)' },
    ]);
    expect((await adminGet(target, '/api/conflicts', { event_id: 'x' }).expect(400)).body.errors).toEqual([
      { field: 'event_id', message: 'event_id must be a positive whole number (an id)' },
    ]);
    await request(target.app.getHttpServer()).get('/api/conflicts').expect(401);
  });
});
