import { createHash } from 'node:crypto';
import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { adminGet, upload } from './support/admin-api';
import { formFields, readSample, sampleEvent, sampleNames } from './support/samples';
import { createTestApp, TestApp } from './support/test-app';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(40, 1)]);
const GIF = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(30, 2)]);

describe('GET /api/events/{id}, /original and /images/{kind}', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp();
  });

  afterAll(async () => {
    await target.close();
  });

  const storeOne = async (event: unknown) => {
    const [result] = await upload(target, event);
    expect(result.result).toBe('stored');
    return result.id;
  };

  it('shows every stored field: FIQA objects, unknown keys, person_type as sent, image links', async () => {
    const event = sampleEvent('seed-example.json');
    event.timestamp += 3;
    event.firmware = { build: 'A-2.3' };
    event.ext_data.temperature = 36.6;
    const id = await storeOne(event);
    const body = (await adminGet(target, `/api/events/${id}`).expect(200)).body;
    const image = (base64: string) => {
      const bytes = Buffer.from(base64, 'base64');
      return { content_type: 'image/jpeg', byte_size: bytes.length, sha256: sha256(bytes) };
    };
    expect(body).toEqual({
      id,
      received_at: expect.any(String),
      received_from: expect.stringMatching(/127\.0\.0\.1/),
      identity_id: event.identity_id,
      identity_name: event.identity_name,
      group_name: event.group_name,
      timestamp: event.timestamp,
      event_time: new Date(event.timestamp).toISOString(),
      score: event.score,
      want_action: event.want_action,
      ext_data: {
        device_ip: event.ext_data.device_ip,
        ep_id: event.ext_data.ep_id,
        person_type: event.ext_data.person_type,
        person_type_sent: true,
        device_type: event.ext_data.device_type,
        dev_sno: event.ext_data.dev_sno,
        grab_fiqa_info: event.ext_data.grab_fiqa_info,
        box_fiqa_info: event.ext_data.box_fiqa_info,
        extra_fields: { temperature: 36.6 },
      },
      extra_fields: { firmware: { build: 'A-2.3' } },
      images: {
        reg_pic: {
          url: `/api/events/${id}/images/reg_pic`,
          thumbnail_url: `/api/events/${id}/images/reg_pic/thumbnail`,
          ...image(event.reg_pic),
        },
        spot_pic: {
          url: `/api/events/${id}/images/spot_pic`,
          thumbnail_url: `/api/events/${id}/images/spot_pic/thumbnail`,
          ...image(event.ext_data.spot_pic),
        },
        recognize_face: {
          url: `/api/events/${id}/images/recognize_face`,
          thumbnail_url: `/api/events/${id}/images/recognize_face/thumbnail`,
          ...image(event.ext_data.recognize_face),
        },
      },
      fiqa_result: event.ext_data.box_fiqa_info.fiqa_result,
    });
  });

  it('shows person_type 1 and person_type_sent false when the box left it out', async () => {
    const id = await storeOne(readSample('no-person-type-extra-fields.json'));
    const { ext_data } = (await adminGet(target, `/api/events/${id}`).expect(200)).body;
    expect(ext_data).toMatchObject({ person_type: 1, person_type_sent: false, extra_fields: { temperature: 36.6, mask: 1 } });
  });

  it.each(sampleNames().filter((name) => !name.startsWith('batch')))('gives back %s exactly as the box sent it', async (name) => {
    const event = readSample(name);
    const id = (await upload(target, event))[0].id;
    const response = await adminGet(target, `/api/events/${id}/original`).expect(200);
    expect(response.body).toEqual(event);
  });

  it('gives back data URL prefixes and a form upload as its JSON equivalent', async () => {
    const event = sampleEvent('gallery-update-1002.json');
    event.timestamp += 1;
    event.reg_pic = `data:image/jpeg;base64,${event.reg_pic}`;
    const jsonId = await storeOne(event);
    expect((await adminGet(target, `/api/events/${jsonId}/original`).expect(200)).body).toEqual(event);

    const form = sampleEvent('gate-employee.json');
    form.timestamp += 7;
    const response = await request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).field(formFields(form)).expect(200);
    const formId = response.body.data.events[0].id;
    expect((await adminGet(target, `/api/events/${formId}/original`).expect(200)).body).toEqual(form);
  });

  describe('images', () => {
    let id: string;
    let event: Record<string, any>;

    beforeAll(async () => {
      event = sampleEvent('gate-employee.json');
      event.timestamp += 100;
      event.reg_pic = PNG.toString('base64');
      event.ext_data.recognize_face = `data:image/gif;base64,${GIF.toString('base64')}`;
      event.ext_data.spot_pic = '';
      id = await storeOne(event);
    });

    it.each([
      ['reg_pic', 'image/png', PNG],
      ['recognize_face', 'image/gif', GIF],
    ])('serves %s as %s with its sha256 as ETag', async (kind, contentType, bytes) => {
      const response = await adminGet(target, `/api/events/${id}/images/${kind}`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(response.headers['content-type']).toBe(contentType);
      expect(response.headers.etag).toBe(`"${sha256(bytes)}"`);
      expect(response.headers['cache-control']).toContain('private');
      expect(Buffer.compare(response.body as Buffer, bytes)).toBe(0);
    });

    it('serves a JPEG as image/jpeg', async () => {
      const jpegId = (await upload(target, { ...sampleEvent('gate-employee.json'), timestamp: 1565771454999 }))[0].id;
      const response = await adminGet(target, `/api/events/${jpegId}/images/spot_pic`).expect(200);
      expect(response.headers['content-type']).toBe('image/jpeg');
      expect(Number(response.headers['content-length'])).toBe(
        Buffer.from(readSample<any>('gate-employee.json').ext_data.spot_pic, 'base64').length,
      );
    });

    it.each([
      ['the ETag', (etag: string) => etag],
      ['the weak ETag', (etag: string) => `W/${etag}`],
      ['a list holding the ETag', (etag: string) => `"0123", ${etag}`],
      ['*', () => '*'],
    ])('answers 304 without the bytes to If-None-Match with %s', async (_name, ifNoneMatch) => {
      const etag = `"${sha256(PNG)}"`;
      const response = await adminGet(target, `/api/events/${id}/images/reg_pic`).set('If-None-Match', ifNoneMatch(etag)).expect(304);
      expect(response.headers.etag).toBe(etag);
      expect(response.text ?? '').toBe('');
    });

    it('answers 200 to an If-None-Match that does not match', async () => {
      await adminGet(target, `/api/events/${id}/images/reg_pic`)
        .set('If-None-Match', `"${sha256(GIF)}"`)
        .expect(200);
    });

    it.each([
      ['an image the box sent empty', () => `/api/events/${id}/images/spot_pic`, /sent it empty/],
      [
        'an image the event does not have',
        async () => {
          const withoutRegPic = sampleEvent('gate-employee.json');
          withoutRegPic.timestamp += 200;
          delete withoutRegPic.reg_pic;
          return `/api/events/${await storeOne(withoutRegPic)}/images/reg_pic`;
        },
        /has no reg_pic/,
      ],
      ['an event that does not exist', () => '/api/events/987654321/images/spot_pic', /no event 987654321/],
    ])('answers 404 in the error shape for %s', async (_name, path, message) => {
      const response = await adminGet(target, await path()).expect(404);
      expect(response.body).toEqual({ status: 404, message: expect.stringMatching(message), errors: [] });
    });

    it('refuses an unknown kind with 400', async () => {
      const response = await adminGet(target, `/api/events/${id}/images/thumbnail`).expect(400);
      expect(response.body.errors).toEqual([{ field: 'kind', message: expect.stringContaining('reg_pic, spot_pic, recognize_face') }]);
    });
  });

  it.each(['', '/original'])('answers 404 for an unknown event and 400 for a bad id at /api/events/{id}%s', async (suffix) => {
    expect((await adminGet(target, `/api/events/987654321${suffix}`).expect(404)).body).toEqual({
      status: 404,
      message: 'no event 987654321',
      errors: [],
    });
    for (const bad of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
      const response = await adminGet(target, `/api/events/${bad}${suffix}`).expect(400);
      expect(response.body.errors).toEqual([{ field: 'id', message: expect.stringContaining('positive whole number') }]);
    }
  });
});
