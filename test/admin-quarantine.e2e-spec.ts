import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { adminGet, adminPost, upload } from './support/admin-api';
import { formFields, sampleEvent } from './support/samples';
import { createTestApp, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * Two instances on one database: `strict` quarantines images over 1 kB; `relaxed` (the default
 * limits) is the service after the limit was raised, where a replay passes.
 */
describe('/api/quarantine', () => {
  let database: TestDatabase;
  let strict: TestApp;
  let relaxed: TestApp;
  let tooBig: Record<string, any>;
  let tooBigId: string;
  let formId: string;
  let invalidId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    strict = await createTestApp({ IMAGE_MAX_BYTES: '1kb' }, { database });
    relaxed = await createTestApp({}, { database });

    tooBig = sampleEvent('gate-employee.json');
    [{ id: tooBigId }] = await upload(strict, tooBig);

    const form = sampleEvent('gallery-update-1002.json');
    const response = await request(strict.app.getHttpServer()).post(HISTORY_EVENT_PATH).field(formFields(form)).expect(200);
    formId = response.body.data.events[0].id;

    const invalid = sampleEvent('snapcam-stranger-1001.json');
    invalid.ext_data.person_type = 9;
    invalid.ext_data.dev_sno = 'box-bad';
    [{ id: invalidId }] = await upload(relaxed, invalid);
  });

  afterAll(async () => {
    await strict?.close();
    await relaxed?.close();
    await database?.drop();
  });

  it('lists quarantined events newest first, with their errors and without payloads, page by page', async () => {
    const first = (await adminGet(relaxed, '/api/quarantine', { limit: 2 }).expect(200)).body;
    expect(first.items.map((item: { id: string }) => item.id)).toEqual([invalidId, formId]);
    expect(first.items[0]).toEqual({
      id: invalidId,
      received_at: expect.any(String),
      received_from: expect.stringMatching(/127\.0\.0\.1/),
      format: 'json',
      dev_sno: 'box-bad',
      errors: [{ field: 'ext_data.person_type', message: 'person_type must be one of 1, 2, 3, 4, 5' }],
      replayed_event_id: null,
      replayed_at: null,
    });
    expect(first.items[1]).toMatchObject({
      format: 'form',
      errors: expect.arrayContaining([{ field: 'reg_pic', message: expect.stringContaining('over the limit') }]),
    });
    const second = (await adminGet(relaxed, '/api/quarantine', { limit: 2, cursor: first.next_cursor }).expect(200)).body;
    expect(second).toEqual({ items: [expect.objectContaining({ id: tooBigId })], next_cursor: null });
    expect(JSON.stringify(first) + JSON.stringify(second)).not.toContain(tooBig.ext_data.spot_pic.slice(0, 64));
  });

  it('filters by dev_sno', async () => {
    const { items } = (await adminGet(relaxed, '/api/quarantine', { dev_sno: 'box-bad' }).expect(200)).body;
    expect(items.map((item: { id: string }) => item.id)).toEqual([invalidId]);
  });

  it('shows one quarantined event: the event as uploaded and its errors', async () => {
    const body = (await adminGet(relaxed, `/api/quarantine/${tooBigId}`).expect(200)).body;
    expect(body.event).toEqual(tooBig);
    expect(body.errors).toEqual(expect.arrayContaining([{ field: 'reg_pic', message: expect.stringContaining('over the limit of 1024') }]));
  });

  it('answers 422 with the errors when the event still fails, and keeps it in quarantine', async () => {
    const response = await adminPost(strict, `/api/quarantine/${tooBigId}/replay`).expect(422);
    expect(response.body).toEqual({
      status: 422,
      message: 'the event still fails validation; it stays in quarantine',
      errors: expect.arrayContaining([{ field: 'ext_data.spot_pic', message: expect.stringContaining('over the limit') }]),
    });
    const [{ count }] = await relaxed.dataSource.query('SELECT count(*)::int AS count FROM quarantined_event');
    expect(count).toBe(3);
    expect((await adminGet(relaxed, `/api/quarantine/${tooBigId}`).expect(200)).body.replayed_event_id).toBeNull();
    const invalid = await adminPost(relaxed, `/api/quarantine/${invalidId}/replay`).expect(422);
    expect(invalid.body.errors).toEqual([{ field: 'ext_data.person_type', message: 'person_type must be one of 1, 2, 3, 4, 5' }]);
  });

  it('also answers 422 when the service refuses invalid events rather than quarantining them', async () => {
    const rejecting = await createTestApp({ INVALID_EVENT_POLICY: 'reject' }, { database });
    try {
      const response = await adminPost(rejecting, `/api/quarantine/${invalidId}/replay`).expect(422);
      expect(response.body.errors).toEqual([{ field: 'ext_data.person_type', message: 'person_type must be one of 1, 2, 3, 4, 5' }]);
    } finally {
      await rejecting.close();
    }
  });

  it('stores the event when it now passes, marks the row, and answers a second replay with the same event', async () => {
    const replay = (await adminPost(relaxed, `/api/quarantine/${tooBigId}/replay`).expect(200)).body;
    expect(replay).toEqual({ event_id: expect.stringMatching(/^\d+$/), result: 'stored', replayed_at: expect.any(String) });
    expect((await adminGet(relaxed, `/api/events/${replay.event_id}/original`).expect(200)).body).toEqual(tooBig);
    const row = (await adminGet(relaxed, `/api/quarantine/${tooBigId}`).expect(200)).body;
    expect(row).toMatchObject({ replayed_event_id: replay.event_id, replayed_at: replay.replayed_at });

    const again = (await adminPost(relaxed, `/api/quarantine/${tooBigId}/replay`).expect(200)).body;
    expect(again).toEqual({ event_id: replay.event_id, result: 'already_replayed', replayed_at: replay.replayed_at });
    const { items } = (await adminGet(relaxed, '/api/quarantine', { replayed: 'true' }).expect(200)).body;
    expect(items.map((item: { id: string }) => item.id)).toEqual([tooBigId]);
    const waiting = (await adminGet(relaxed, '/api/quarantine', { replayed: 'false' }).expect(200)).body;
    expect(waiting.items.map((item: { id: string }) => item.id)).toEqual([invalidId, formId]);
  });

  it('replays a form upload as its JSON event; concurrent replays answer with one event', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => adminPost(relaxed, `/api/quarantine/${formId}/replay`).expect(200)));
    const eventIds = new Set(answers.map((answer) => answer.body.event_id));
    expect(eventIds.size).toBe(1);
    // Exactly one replay marks the row (stored, or duplicate of a concurrent one); the others find it marked.
    expect(answers.filter((answer) => answer.body.result !== 'already_replayed')).toHaveLength(1);
    const [eventId] = eventIds;
    expect((await adminGet(relaxed, `/api/events/${eventId}/original`).expect(200)).body).toEqual(sampleEvent('gallery-update-1002.json'));
  });

  it('answers a replay of an event stored meanwhile (the box sent it again) with that event', async () => {
    const event = sampleEvent('snapcam-stranger-1001.json');
    event.ext_data.spot_pic = '';
    event.ext_data.recognize_face = sampleEvent('gate-employee.json').ext_data.recognize_face;
    const [quarantined] = await upload(strict, event);
    expect(quarantined.result).toBe('quarantined');
    const [stored] = await upload(relaxed, event);
    expect(stored.result).toBe('stored');
    const replay = (await adminPost(relaxed, `/api/quarantine/${quarantined.id}/replay`).expect(200)).body;
    expect(replay).toMatchObject({ event_id: stored.id, result: 'duplicate' });
  });

  it('keeps a replayed event as a conflict when one with its dedup key but other content was stored meanwhile', async () => {
    const event = sampleEvent('snapcam-stranger-1001.json');
    event.timestamp += 5;
    event.ext_data.spot_pic = '';
    event.ext_data.recognize_face = sampleEvent('gate-employee.json').ext_data.recognize_face;
    const [quarantined] = await upload(strict, event);
    expect(quarantined.result).toBe('quarantined');
    const [stored] = await upload(relaxed, { ...event, identity_name: 'named meanwhile' });
    const replay = (await adminPost(relaxed, `/api/quarantine/${quarantined.id}/replay`).expect(200)).body;
    expect(replay).toEqual({ event_id: stored.id, result: 'conflict', conflict_id: expect.any(String), replayed_at: expect.any(String) });
    const conflict = (await adminGet(relaxed, `/api/conflicts/${replay.conflict_id}`).expect(200)).body;
    expect(conflict).toMatchObject({ event_id: stored.id, fields: ['identity_name'], withheld_hook: 'stranger.registration', event });
  });

  it('answers 404 for an unknown id and 400 for a bad one or bad parameters', async () => {
    for (const path of ['/api/quarantine/987654', '/api/quarantine/987654/replay']) {
      const call = path.endsWith('replay') ? adminPost(relaxed, path) : adminGet(relaxed, path);
      expect((await call.expect(404)).body).toEqual({ status: 404, message: 'no quarantined event 987654', errors: [] });
    }
    expect((await adminGet(relaxed, '/api/quarantine/x').expect(400)).body.errors[0].field).toBe('id');
    expect((await adminPost(relaxed, '/api/quarantine/0/replay').expect(400)).body.errors[0].field).toBe('id');
    for (const [query, field] of [
      [{ replayed: 'perhaps' }, 'replayed'],
      [{ limit: '1000' }, 'limit'],
      [{ cursor: 'xyz' }, 'cursor'],
      [{ person_type: '1' }, 'person_type'],
    ] as const) {
      const response = await adminGet(relaxed, '/api/quarantine', query).expect(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
    }
  });
});
