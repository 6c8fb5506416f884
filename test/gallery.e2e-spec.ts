import { EventEmitter2 } from '@nestjs/event-emitter';
import { Client } from 'pg';
import request from 'supertest';
import { HookMessage, toHookMessage } from '../src/hooks/hook-message';
import { deliveriesOf, hookIdsOf, QUICK_HOOKS, upload } from './support/hooks';
import { pollUntil } from './support/poll';
import { readSample, sampleEvent } from './support/samples';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';

const get = (target: TestApp, path: string) =>
  request(target.app.getHttpServer()).get(path).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);

const decoded = (base64: string) => Buffer.from(base64, 'base64');

/** Uploads events and waits until the gallery has handled every hook they caused. */
async function uploadAndSettle(target: TestApp, body: unknown) {
  const results = await upload(target, body);
  for (const { id } of results) {
    await pollUntil(
      () => deliveriesOf(target.dataSource, id),
      (rows) => rows.length > 0 && rows.every((row) => row.status !== 'pending'),
      { what: `the gallery delivery of event ${id}` },
    );
  }
  return results;
}

const changeOf = async (target: TestApp, hookId: string) =>
  (await get(target, '/api/gallery/changes?limit=500').expect(200)).body.items.find(
    (change: { hook_id: string }) => change.hook_id === hookId,
  );

describe('the gallery, fed by the want_action hooks', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp(QUICK_HOOKS);
  });

  afterAll(async () => {
    await target.close();
  });

  it('registers the 1001 stranger as a new identity with its cropped face', async () => {
    const sample = readSample<Record<string, any>>('snapcam-stranger-1001.json');
    const [stored] = await uploadAndSettle(target, sample);
    const [hookId] = await hookIdsOf(target.dataSource, stored.id);

    const list = await get(target, '/api/identities?identity_id=1602612036.3828533').expect(200);
    expect(list.body).toEqual({
      items: [
        {
          id: expect.stringMatching(/^\d+$/),
          group_name: 'default_group',
          identity_id: '1602612036.3828533',
          name: 'stranger',
          person_type: 4,
          created_at: expect.any(String),
          updated_at: expect.any(String),
          face_url: expect.stringMatching(/^\/api\/identities\/\d+\/face$/),
          face_thumbnail_url: expect.stringMatching(/^\/api\/identities\/\d+\/face\/thumbnail$/),
        },
      ],
      next_cursor: null,
    });
    const identity = list.body.items[0];

    const detail = await get(target, `/api/identities/${identity.id}`).expect(200);
    expect(detail.body.faces).toEqual([
      expect.objectContaining({
        image_kind: 'recognize_face',
        content_type: 'image/jpeg',
        event_id: stored.id,
        hook_id: hookId,
        replaced_at: null,
      }),
    ]);
    expect(detail.body.history).toEqual([
      expect.objectContaining({
        hook_id: hookId,
        hook_type: 'stranger.registration',
        event_id: stored.id,
        outcome: 'registered',
        reason: null,
      }),
    ]);

    const face = await get(target, identity.face_url).expect(200);
    expect(face.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(face.body, decoded(sample.ext_data.recognize_face))).toBe(0);
  });

  it('rejects the poor-quality 1001 stranger with the reason, and creates no identity', async () => {
    const [stored] = await uploadAndSettle(target, readSample('snapcam-stranger-1001-poor-quality.json'));
    const [hookId] = await hookIdsOf(target.dataSource, stored.id);
    expect(await changeOf(target, hookId)).toMatchObject({
      hook_type: 'stranger.registration',
      identity_id: '1602612099.1200001',
      gallery_identity_id: null,
      outcome: 'rejected',
      reason: "the box's face-quality check (box_fiqa_info.fiqa_result) judged the image too poor (failed: clarity, brightness)",
    });
    const rejected = await get(target, '/api/gallery/changes?outcome=rejected').expect(200);
    expect(rejected.body.items.map((change: { hook_id: string }) => change.hook_id)).toContain(hookId);
    expect((await get(target, '/api/identities?identity_id=1602612099.1200001').expect(200)).body.items).toEqual([]);
    // The hook itself was delivered to the gallery: a rejection is an outcome, not a failure to retry.
    expect((await deliveriesOf(target.dataSource, stored.id))[0]).toMatchObject({ subscriber: 'gallery', status: 'delivered' });
  });

  it('rejects a stranger without any image, and falls back to the scene photo when there is no cropped face', async () => {
    const noImage = sampleEvent('snapcam-stranger-1001.json');
    noImage.identity_id = 'stranger-without-image';
    noImage.ext_data.spot_pic = '';
    noImage.ext_data.recognize_face = '';
    const sceneOnly = sampleEvent('snapcam-stranger-1001.json');
    sceneOnly.identity_id = 'stranger-scene-only';
    sceneOnly.ext_data.recognize_face = '';
    const [withoutImage, withScene] = await uploadAndSettle(target, [noImage, sceneOnly]);

    const [noImageHook] = await hookIdsOf(target.dataSource, withoutImage.id);
    expect(await changeOf(target, noImageHook)).toMatchObject({
      outcome: 'rejected',
      reason: 'the event has no face image (recognize_face) and no scene photo (spot_pic)',
    });
    const [identity] = (await get(target, '/api/identities?identity_id=stranger-scene-only').expect(200)).body.items;
    const face = await get(target, identity.face_url).expect(200);
    expect(Buffer.compare(face.body, decoded(sceneOnly.ext_data.spot_pic))).toBe(0);
    expect((await get(target, `/api/identities/${identity.id}`).expect(200)).body.faces[0]).toMatchObject({
      image_kind: 'spot_pic',
      event_id: withScene.id,
    });
  });

  it('registers the same stranger once, however many 1001 events and deliveries name it', async () => {
    const first = sampleEvent('snapcam-stranger-1001.json');
    first.identity_id = 'stranger-twice';
    const second = { ...first, timestamp: first.timestamp + 1000 };
    const [one, two] = await uploadAndSettle(target, [first, second]);
    const identities = (await get(target, '/api/identities?identity_id=stranger-twice').expect(200)).body.items;
    expect(identities).toHaveLength(1);
    const [secondHook] = await hookIdsOf(target.dataSource, two.id);
    expect(await changeOf(target, secondHook)).toMatchObject({ outcome: 'already_registered', gallery_identity_id: identities[0].id });

    // The same hook handled again (an at-least-once redelivery) changes nothing.
    const [firstHook] = await hookIdsOf(target.dataSource, one.id);
    const message = (await target.dataSource.query(`SELECT "payload" FROM "hook" WHERE "id" = $1`, [firstHook]))[0].payload;
    const redelivered = {
      ...message,
      id: firstHook,
      type: 'stranger.registration',
      event_id: one.id,
      created_at: '',
      images: [],
    } as HookMessage;
    await target.app.get(EventEmitter2).emitAsync('stranger.registration', redelivered);
    const detail = (await get(target, `/api/identities/${identities[0].id}`).expect(200)).body;
    expect(detail.faces).toHaveLength(1);
    expect(detail.history.map((change: { outcome: string }) => change.outcome)).toEqual(['registered', 'already_registered']);
  });

  it('replaces the face on 1002 with the registered picture, keeping the earlier face as history', async () => {
    const sample = readSample<Record<string, any>>('gallery-update-1002.json');
    const [created] = await uploadAndSettle(target, sample);
    const [identity] = (await get(target, '/api/identities?identity_id=20001').expect(200)).body.items;
    expect(identity).toMatchObject({ group_name: 'default_group', name: 'Alice', person_type: 5 });
    expect(Buffer.compare((await get(target, identity.face_url).expect(200)).body, decoded(sample.reg_pic))).toBe(0);

    // A second update without reg_pic: the cropped face becomes the current face.
    const update = sampleEvent('gallery-update-1002.json');
    update.timestamp += 60_000;
    update.identity_name = 'Alice B.';
    update.reg_pic = '';
    const [replaced] = await uploadAndSettle(target, update);
    const face = await get(target, identity.face_url).expect(200);
    expect(face.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(face.body, decoded(update.ext_data.recognize_face))).toBe(0);

    const detail = (await get(target, `/api/identities/${identity.id}`).expect(200)).body;
    expect(detail.name).toBe('Alice B.');
    expect(detail.faces).toEqual([
      expect.objectContaining({ image_kind: 'reg_pic', event_id: created.id, replaced_at: expect.any(String) }),
      expect.objectContaining({ image_kind: 'recognize_face', event_id: replaced.id, replaced_at: null }),
    ]);
    expect(detail.history.map((change: { outcome: string; event_id: string }) => [change.outcome, change.event_id])).toEqual([
      ['identity_created', created.id],
      ['face_replaced', replaced.id],
    ]);
  });

  it('rejects a 1002 without a usable image, leaving the identity as it was', async () => {
    const update = sampleEvent('gallery-update-1002.json');
    update.identity_id = 'update-without-image';
    update.reg_pic = '';
    update.ext_data.recognize_face = '';
    const [stored] = await uploadAndSettle(target, update);
    const [hookId] = await hookIdsOf(target.dataSource, stored.id);
    expect(await changeOf(target, hookId)).toMatchObject({
      outcome: 'rejected',
      reason: 'the event has no registered picture (reg_pic) and no face image (recognize_face)',
    });
    expect((await get(target, '/api/identities?identity_id=update-without-image').expect(200)).body.items).toEqual([]);
  });

  it('counts a gallery delivery done only when the handler succeeds: a failing handler is retried', async () => {
    const events = target.app.get(EventEmitter2);
    let failures = 0;
    const failOnce = (): Promise<void> => (failures++ === 0 ? Promise.reject(new Error('gallery storage unavailable')) : Promise.resolve());
    // The gallery subscriber emits with emitAsync, which awaits a listener's promise: its rejection is the failure under test.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    events.on('gallery.update', failOnce);
    try {
      const update = sampleEvent('gallery-update-1002.json');
      update.identity_id = 'handler-fails-once';
      const [stored] = await upload(target, update);
      const [delivery] = await pollUntil(
        () => deliveriesOf(target.dataSource, stored.id),
        (rows) => rows[0]?.status === 'delivered',
        { what: 'the retried gallery delivery' },
      );
      expect(delivery).toMatchObject({
        subscriber: 'gallery',
        attempts: 2,
        last_error: 'the subscriber failed: gallery storage unavailable',
      });
      expect((await get(target, '/api/identities?identity_id=handler-fails-once').expect(200)).body.items).toHaveLength(1);
    } finally {
      // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the listener added above
      events.off('gallery.update', failOnce);
    }
  });

  it('answers the identity routes in the error shape', async () => {
    expect((await get(target, '/api/identities/999999').expect(404)).body).toEqual({
      status: 404,
      message: 'there is no gallery identity 999999',
      errors: [],
    });
    await get(target, '/api/identities/999999/face').expect(404);
    expect((await get(target, '/api/identities/abc').expect(400)).body.errors).toEqual([
      { field: 'id', message: 'id must be a gallery identity id (a positive whole number)' },
    ]);
    expect((await get(target, '/api/identities?limit=0').expect(400)).body.errors).toEqual([
      { field: 'limit', message: 'limit must be a whole number from 1 to 500' },
    ]);
    await request(target.app.getHttpServer()).get('/api/identities').expect(401);
    await request(target.app.getHttpServer()).get('/api/identities/1/face').expect(401);
    await request(target.app.getHttpServer()).get('/api/gallery/changes').expect(401);
  });
});

describe('overlapping attempts at one gallery hook (a timed-out delivery still running while its retry starts)', () => {
  let target: TestApp;
  let blocker: Client;

  beforeAll(async () => {
    // The dispatcher stays off: the test makes the attempts itself.
    target = await createTestApp({ HOOK_DISPATCHER_ENABLED: 'false' });
    blocker = new Client({ connectionString: target.database.url });
    await blocker.connect();
  });

  afterAll(async () => {
    await blocker.end();
    await target.close();
  });

  /** The message the dispatcher would deliver for the hook of an event. */
  async function messageOf(eventId: string): Promise<HookMessage> {
    const [hook] = await target.dataSource.query(`SELECT "id", "type", "created_at", "payload" FROM "hook" WHERE "event_id" = $1`, [
      eventId,
    ]);
    return toHookMessage({ id: hook.id, type: hook.type, eventId, createdAt: hook.created_at, payload: hook.payload }, [], '');
  }

  /**
   * Sessions of the test database waiting for a lock. Asked outside the blocker's transaction:
   * within a transaction, pg_stat_activity keeps answering from its first snapshot.
   */
  const waitingSessions = async () =>
    (
      await target.dataSource.query(
        `SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )
    )[0].count as number;

  /**
   * Runs two attempts at the same hook that overlap for certain: a transaction of the test holds
   * the gallery identity's key, so that the first attempt stops in the middle of its work; the
   * second starts meanwhile; then the test lets go.
   */
  async function overlappingAttempts(event: Record<string, any>, hookType: 'stranger.registration' | 'gallery.update') {
    const [stored] = await upload(target, event);
    const message = await messageOf(stored.id);
    await blocker.query('BEGIN');
    await blocker.query(
      `INSERT INTO "gallery_identity" ("group_name", "identity_id", "name", "person_type") VALUES ($1, $2, 'held by the test', 4)`,
      [event.group_name, event.identity_id],
    );
    const events = target.app.get(EventEmitter2);
    const attempts = [events.emitAsync(hookType, message), events.emitAsync(hookType, message)].map((attempt) =>
      attempt.then(
        () => 'succeeded',
        (error: Error) => `failed: ${error.message}`,
      ),
    );
    await pollUntil(waitingSessions, (count) => count >= 2, { what: 'both attempts waiting' });
    await blocker.query('ROLLBACK');
    const outcomes = await Promise.all(attempts);
    const changes = await target.dataSource.query(`SELECT "outcome" FROM "gallery_change" WHERE "hook_id" = $1`, [message.id]);
    const identities = await target.dataSource.query(
      `SELECT i."id", count(f."id")::int AS faces FROM "gallery_identity" i LEFT JOIN "gallery_face" f ON f."gallery_identity_id" = i."id"
        WHERE i."identity_id" = $1 GROUP BY i."id"`,
      [event.identity_id],
    );
    return { outcomes, changes, identities };
  }

  it('registers a stranger once: one identity, one face, one change, and neither attempt fails', async () => {
    const stranger = sampleEvent('snapcam-stranger-1001.json');
    stranger.identity_id = 'overlapping-registration';
    const { outcomes, changes, identities } = await overlappingAttempts(stranger, 'stranger.registration');
    expect(outcomes).toEqual(['succeeded', 'succeeded']);
    expect(changes).toEqual([{ outcome: 'registered' }]);
    expect(identities).toEqual([{ id: expect.any(String), faces: 1 }]);
  });

  it('updates a face once: one identity, one face, one change, and neither attempt fails', async () => {
    const update = sampleEvent('gallery-update-1002.json');
    update.identity_id = 'overlapping-update';
    const { outcomes, changes, identities } = await overlappingAttempts(update, 'gallery.update');
    expect(outcomes).toEqual(['succeeded', 'succeeded']);
    expect(changes).toEqual([{ outcome: 'identity_created' }]);
    expect(identities).toEqual([{ id: expect.any(String), faces: 1 }]);
  });
});
