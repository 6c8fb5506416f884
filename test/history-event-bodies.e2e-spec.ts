import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { formFields, freshEvent } from './support/samples';
import { loadStoredEvent, rebuildFromDatabase } from './support/stored-events';
import { createTestApp, TestApp } from './support/test-app';

type Result = { id: string; result: string; errors?: { field: string; message: string }[] };
type IngestAnswer = { data: { events: Result[] } };

describe('HistoryEvent upload bodies', () => {
  /** With the default settings. */
  let target: TestApp;
  /** With small limits: BODY_LIMIT 256kb, IMAGE_MAX_BYTES 20kb. */
  let small: TestApp;
  const upload = (app = target) => request(app.app.getHttpServer()).post(HISTORY_EVENT_PATH);

  beforeAll(async () => {
    target = await createTestApp();
    small = await createTestApp({ BODY_LIMIT: '256kb', IMAGE_MAX_BYTES: '20kb' });
  });

  afterAll(async () => {
    await target.close();
    await small.close();
  });

  describe('form uploads', () => {
    it('stores an application/x-www-form-urlencoded event with ext_data as JSON text', async () => {
      const event = freshEvent('seed-example.json');
      const response = await upload().type('form').send(formFields(event)).expect(200);
      const result = (response.body as IngestAnswer).data.events[0];
      expect(result.result).toBe('stored');
      expect(await rebuildFromDatabase(target.dataSource, result.id)).toEqual(event);
    });

    it('stores a multipart/form-data event with text fields', async () => {
      const event = freshEvent('snapcam-stranger-1001.json');
      const form = upload();
      for (const [key, value] of Object.entries(formFields(event))) form.field(key, value);
      const result = ((await form.expect(200)).body as IngestAnswer).data.events[0];
      expect(result.result).toBe('stored');
      expect(await rebuildFromDatabase(target.dataSource, result.id)).toEqual(event);
    });

    it('takes images sent as file parts, as raw bytes', async () => {
      const event = freshEvent('gate-employee.json');
      const face = Buffer.from(event.ext_data.recognize_face, 'base64');
      const registered = Buffer.from(event.reg_pic, 'base64');
      delete event.ext_data.recognize_face;
      delete event.ext_data.spot_pic;
      delete event.reg_pic;
      const form = upload();
      for (const [key, value] of Object.entries(formFields(event))) form.field(key, value);
      form.attach('recognize_face', face, 'face.jpg').attach('reg_pic', registered, 'reg.jpg');
      const result = ((await form.expect(200)).body as IngestAnswer).data.events[0];
      expect(result.result).toBe('stored');

      const stored = await loadStoredEvent(target.dataSource, result.id);
      expect(stored.images.find((image) => image.kind === 'recognize_face')?.data.equals(face)).toBe(true);
      expect(stored.images.find((image) => image.kind === 'reg_pic')?.data.equals(registered)).toBe(true);
    });

    it('answers 400 for a file part that is not one of the images', async () => {
      const form = upload();
      for (const [key, value] of Object.entries(formFields(freshEvent('seed-example.json')))) form.field(key, value);
      const response = await form.attach('document', Buffer.from('%PDF-1.4'), 'doc.pdf').expect(400);
      expect(response.body).toMatchObject({ status: 400, message: expect.stringMatching(/unexpected file field "document"/) });
    });

    it('quarantines a form event whose ext_data is not JSON, keeping the fields as sent', async () => {
      const fields = { ...formFields(freshEvent('seed-example.json')), ext_data: '{not json' };
      const response = await upload().type('form').send(fields).expect(200);
      const result = (response.body as IngestAnswer).data.events[0];
      expect(result).toMatchObject({ result: 'quarantined', errors: [{ field: 'ext_data', message: 'ext_data must be an object' }] });
      const [row] = await target.dataSource.query('SELECT payload, format FROM quarantined_event WHERE id = $1', [result.id]);
      expect(row.format).toBe('form');
      expect(JSON.parse(row.payload).ext_data).toBe('{not json');
    });

    it('answers 400 for ext_data JSON text nested deeper than the cap', async () => {
      const fields = { ...formFields(freshEvent('seed-example.json')), ext_data: '{"a":'.repeat(100) + '1' + '}'.repeat(100) };
      const response = await upload().type('form').send(fields).expect(400);
      expect(response.body).toEqual({ status: 400, message: 'ext_data is nested deeper than 32 levels (JSON_MAX_DEPTH)', errors: [] });
    });
  });

  describe('bodies that are refused', () => {
    const cases: [string, () => request.Test, number, RegExp][] = [
      ['JSON that does not parse', () => upload().type('json').send('{"identity_id": '), 400, /not valid JSON/],
      ['an empty JSON body', () => upload().set('Content-Type', 'application/json').send(''), 400, /empty/],
      ['a JSON string instead of an event', () => upload().type('json').send('"event"'), 400, /not valid JSON/],
      ['an empty batch', () => upload().type('json').send('[]'), 400, /1 to 100 events/],
      [
        'JSON nested 10,000 levels deep',
        () =>
          upload()
            .type('json')
            .send('{"a":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}'),
        400,
        /nested deeper than 32 levels/,
      ],
      [
        'a multipart body without a boundary',
        () => upload().set('Content-Type', 'multipart/form-data').send('--X\r\n'),
        400,
        /the multipart body cannot be read: Multipart: Boundary not found/,
      ],
      [
        'a multipart body that ends in the middle of a part',
        () =>
          upload()
            .set('Content-Type', 'multipart/form-data; boundary=X')
            .send('--X\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue'),
        400,
        /the multipart body cannot be read: Unexpected end of form/,
      ],
      ['text/plain', () => upload().set('Content-Type', 'text/plain').send('{}'), 415, /Content-Type must be/],
      ['no Content-Type', () => upload().send(Buffer.from('{}')), 415, /Content-Type must be/],
      ['application/xml', () => upload().set('Content-Type', 'application/xml').send('<e/>'), 415, /Content-Type/],
      ['an unknown charset', () => upload().set('Content-Type', 'application/json; charset=klingon').send('{}'), 415, /charset/],
      [
        'a body over BODY_LIMIT',
        () =>
          upload(small)
            .type('json')
            .send(JSON.stringify({ ...freshEvent('seed-example.json'), padding: 'x'.repeat(300_000) })),
        413,
        /larger than the limit of 262144 bytes \(BODY_LIMIT\)/,
      ],
      [
        'a form over BODY_LIMIT (the limit is the whole body, not each field)',
        () => upload(small).field('identity_id', 'x'.repeat(300_000)),
        413,
        /larger than the limit of 262144 bytes \(BODY_LIMIT\)/,
      ],
      [
        'a file part over IMAGE_MAX_BYTES',
        () => upload(small).field('identity_id', '1').attach('reg_pic', Buffer.alloc(30_000, 0xff), 'big.jpg'),
        413,
        /reg_pic is larger than IMAGE_MAX_BYTES/,
      ],
    ];

    it.each(cases)('%s', async (_, send, status, message) => {
      const response = await send().expect(status);
      expect(response.body).toEqual({ status, message: expect.stringMatching(message), errors: [] });
    });
  });

  it('quarantines an image over IMAGE_MAX_BYTES, naming it', async () => {
    const event = freshEvent('seed-example.json');
    const response = await upload(small).type('json').send(JSON.stringify(event)).expect(200);
    expect((response.body as IngestAnswer).data.events[0]).toMatchObject({
      result: 'quarantined',
      errors: [{ field: 'ext_data.spot_pic', message: 'spot_pic is 28185 bytes once decoded, over the limit of 20480' }],
    });
  });

  it('answers other routes and methods in the same error shape', async () => {
    const server = target.app.getHttpServer();
    const missing = await request(server).get('/nowhere').expect(404);
    expect(missing.body).toEqual({ status: 404, message: 'Cannot GET /nowhere', errors: [] });
    const wrongMethod = await request(server).get(HISTORY_EVENT_PATH).expect(404);
    expect(wrongMethod.body).toMatchObject({ status: 404, errors: [] });
  });
});
