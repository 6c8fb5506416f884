import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { adminGet } from './support/admin-api';
import { deliveriesOf, QUICK_HOOKS } from './support/hooks';
import { pollUntil } from './support/poll';
import { freshEvent, sampleEvent } from './support/samples';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Image fields carry only image data URL prefixes, and image bytes are served only with the
 * type read from them, with nosniff and no file name: nothing a client sent decides how a
 * browser treats them.
 */
describe('images: data URL prefixes and how the bytes are served', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp(QUICK_HOOKS);
  });

  afterAll(async () => {
    await target.close();
  });

  const upload = (body: unknown) =>
    request(target.app.getHttpServer())
      .post(HISTORY_EVENT_PATH)
      .send(body as object)
      .expect(200);
  const jpegBase64 = (): string => sampleEvent('gate-employee.json').ext_data.spot_pic;

  it.each([
    ['data:text/html;base64,', 'ext_data.spot_pic'],
    ['data:image/jpeg;name=a.exe;base64,', 'ext_data.recognize_face'],
    ['data:image/svg+xml;base64,', 'reg_pic'],
    ['data:application/octet-stream;base64,', 'ext_data.spot_pic'],
  ])('quarantines an image with the prefix %s, naming %s', async (prefix, field) => {
    const event = freshEvent();
    if (field === 'reg_pic') event.reg_pic = prefix + jpegBase64();
    else event.ext_data[field.slice('ext_data.'.length)] = prefix + jpegBase64();
    const response = await upload([freshEvent(), event]);
    expect(response.body.data.events.map((result: { result: string }) => result.result)).toEqual(['stored', 'quarantined']);
    expect(response.body.data.events[1].errors).toEqual([
      { field, message: expect.stringMatching(/data: prefix other than data:image\//) },
    ]);
  });

  it('stores data:image/jpg;base64, (as boxes write it) and gives it back verbatim', async () => {
    const event = freshEvent();
    event.ext_data.spot_pic = `data:image/jpg;base64,${jpegBase64()}`;
    const [result] = (await upload(event)).body.data.events;
    expect(result.result).toBe('stored');
    const original = await adminGet(target, `/api/events/${result.id}/original`).expect(200);
    expect(original.body.ext_data.spot_pic).toBe(event.ext_data.spot_pic);
  });

  it('serves event images with the type read from the bytes, nosniff, and no file name', async () => {
    const event = freshEvent();
    event.ext_data.spot_pic = `data:image/png;base64,${jpegBase64()}`;
    const [result] = (await upload(event)).body.data.events;
    // Whatever the row says (a row written by an older version, say), the bytes decide.
    await target.dataSource.query(`UPDATE history_event_image SET content_type = 'text/html' WHERE event_id = $1`, [result.id]);
    const image = await adminGet(target, `/api/events/${result.id}/images/spot_pic`).buffer(true).expect(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(image.headers['content-disposition']).toBeUndefined();
    expect(Buffer.from(image.body).equals(Buffer.from(jpegBase64(), 'base64'))).toBe(true);
  });

  it('serves gallery faces the same way', async () => {
    const stranger = freshEvent('snapcam-stranger-1001.json');
    stranger.ext_data.recognize_face = `data:image/gif;base64,${stranger.ext_data.recognize_face}`;
    const [result] = (await upload(stranger)).body.data.events;
    await pollUntil(
      () => deliveriesOf(target.dataSource, result.id),
      (rows) => rows.length > 0 && rows.every((row) => row.status === 'delivered'),
      { what: 'the gallery registration' },
    );
    await target.dataSource.query(`UPDATE gallery_face SET content_type = 'text/html' WHERE event_id = $1`, [result.id]);
    const identities = await adminGet(target, '/api/identities', { identity_id: stranger.identity_id }).expect(200);
    const face = await adminGet(target, identities.body.items[0].face_url).buffer(true).expect(200);
    expect(face.headers['content-type']).toBe('image/jpeg');
    expect(face.headers['x-content-type-options']).toBe('nosniff');
    expect(face.headers['content-disposition']).toBeUndefined();
  });
});
