import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { adminGet } from './support/admin-api';
import { formFields, freshEvent } from './support/samples';
import { createTestApp, TestApp } from './support/test-app';

type Result = { id: string; result: string; errors?: { field: string; message: string }[] };

/** For supertest's `serialize`: the body goes out as the bytes given. */
const asIs = (body: unknown) => body as string;

/**
 * Keys PostgreSQL cannot store as text (a NUL, an unpaired surrogate), in every position of an
 * event and in every content type: the event is quarantined, its error names the key in visible
 * form, the other events of the batch are stored, and the answer is 200 (a 500 would make the
 * box send the whole batch again, forever).
 */
describe('keys holding a NUL or an unpaired surrogate', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp();
  });

  afterAll(async () => {
    await target.close();
  });

  const upload = () => request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH);

  const nul = 'x\u0000y';
  const lone = 'x\ud800y';
  const positions: [string, (event: Record<string, any>, key: string) => void, (visible: string) => string][] = [
    ['at the top level', (event, key) => (event[key] = 1), (visible) => visible],
    ['in ext_data', (event, key) => (event.ext_data[key] = 'a'), (visible) => `ext_data.${visible}`],
    ['in grab_fiqa_info', (event, key) => (event.ext_data.grab_fiqa_info[key] = 2), (visible) => `ext_data.grab_fiqa_info.${visible}`],
    [
      'in box_fiqa_info.info',
      (event, key) => (event.ext_data.box_fiqa_info.info = { [key]: true }),
      (visible) => `ext_data.box_fiqa_info.info.${visible}`,
    ],
    [
      'in a nested unknown field',
      (event, key) => (event.vendor = { list: [{ deep: { [key]: null } }] }),
      (visible) => `vendor.list[0].deep.${visible}`,
    ],
  ];
  const keys: [string, string, string][] = [
    ['a NUL', nul, 'x\\u0000y'],
    ['an unpaired surrogate', lone, 'x\\ud800y'],
  ];
  const cases = positions.flatMap(([where, poison, path]) =>
    keys.map(([what, key, visible]) => [`${what} ${where}`, poison, key, path(visible)] as const),
  );

  it.each(cases)(
    'a key with %s: the valid events of the batch are stored, the poisoned one quarantined',
    async (_what, poison, key, field) => {
      const poisoned = freshEvent();
      poison(poisoned, key);
      const batch = [freshEvent(), poisoned, freshEvent()];
      const response = await upload().type('json').send(JSON.stringify(batch));
      expect({ status: response.status, body: response.status === 200 ? undefined : response.body }).toEqual({
        status: 200,
        body: undefined,
      });
      const results: Result[] = response.body.data.events;
      expect(results.map((result) => result.result)).toEqual(['stored', 'quarantined', 'stored']);
      expect(results[1].errors).toEqual([
        { field, message: expect.stringMatching(/^the key contains (a NUL character|an unpaired surrogate)/) },
      ]);

      // Kept as sent: the key comes back exactly, through the admin API.
      const detail = await adminGet(target, `/api/quarantine/${results[1].id}`).expect(200);
      expect(detail.body.event).toEqual(JSON.parse(JSON.stringify(poisoned)));
      expect(detail.body.errors).toEqual(results[1].errors);
      // The same poisoned event again is the same quarantined event.
      const again = await upload()
        .type('json')
        .send(JSON.stringify([poisoned]))
        .expect(200);
      expect(again.body.data.events[0]).toMatchObject({ id: results[1].id, result: 'quarantined' });
    },
  );

  it('a value with a NUL next to a key with one: both named', async () => {
    const poisoned = freshEvent();
    poisoned.ext_data[nul] = 'a\u0000b';
    const response = await upload()
      .type('json')
      .send(JSON.stringify([freshEvent(), poisoned]))
      .expect(200);
    expect(response.body.data.events[1].errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'ext_data.x\\u0000y',
      'ext_data.x\\u0000y',
    ]);
    expect(response.body.data.events[1].errors.map((error: { message: string }) => error.message).join(' ')).not.toContain('\u0000');
  });

  it('urlencoded: a field name x%00 is quarantined, 200', async () => {
    const body = `${new URLSearchParams(formFields(freshEvent())).toString()}&x%00=1`;
    const response = await upload().type('form').send(body);
    expect(response.status).toBe(200);
    expect(response.body.data.events[0]).toMatchObject({
      result: 'quarantined',
      errors: [{ field: 'x\\u0000', message: expect.stringMatching(/^the key contains a NUL character/) }],
    });
  });

  it('urlencoded: an unpaired surrogate in a key of ext_data (JSON text) is quarantined, 200', async () => {
    const fields = formFields(freshEvent());
    fields.ext_data = fields.ext_data.replace('{', '{"\\ud800":1,');
    const response = await upload().type('form').send(fields);
    expect(response.status).toBe(200);
    expect(response.body.data.events[0]).toMatchObject({ result: 'quarantined', errors: [{ field: 'ext_data.\\ud800' }] });
  });

  it('multipart: a NUL key in the ext_data text and in a FIQA object is quarantined, 200', async () => {
    const event = freshEvent();
    event.ext_data[nul] = 1;
    event.ext_data.box_fiqa_info[nul] = 1;
    let form = upload();
    for (const [name, value] of Object.entries(formFields(event))) form = form.field(name, value);
    const response = await form;
    expect(response.status).toBe(200);
    expect(response.body.data.events[0].result).toBe('quarantined');
    expect(response.body.data.events[0].errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'ext_data.box_fiqa_info.x\\u0000y',
      'ext_data.x\\u0000y',
    ]);
  });

  const multipart = (parts: [header: string, value: string][]) => {
    const boundary = 'poisoned-boundary';
    const body = parts.map(([header, value]) => `--${boundary}\r\nContent-Disposition: form-data; ${header}\r\n\r\n${value}\r\n`).join('');
    return upload()
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .serialize(asIs)
      .send(Buffer.from(`${body}--${boundary}--\r\n`));
  };
  const eventParts = (): [string, string][] => Object.entries(formFields(freshEvent())).map(([name, value]) => [`name="${name}"`, value]);

  it('multipart: a raw NUL byte in a part header is a 400 (the part cannot be read), not a 500', async () => {
    const response = await multipart([...eventParts(), ['name="x\u0000y"', '1']]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ status: 400, message: 'the multipart body cannot be read: Malformed part header', errors: [] });
    // The same body without the NUL is stored.
    expect((await multipart([...eventParts(), ['name="xy"', '1']])).body.data.events[0].result).toBe('stored');
  });

  it('INVALID_EVENT_POLICY=reject: a poisoned key is a 400 naming it, not a 500', async () => {
    const strict = await createTestApp({ INVALID_EVENT_POLICY: 'reject' });
    try {
      const poisoned = freshEvent();
      poisoned.ext_data[lone] = 1;
      const response = await request(strict.app.getHttpServer())
        .post(HISTORY_EVENT_PATH)
        .type('json')
        .send(JSON.stringify([freshEvent(), poisoned]));
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: '[1].ext_data.x\\ud800y', message: expect.stringMatching(/unpaired surrogate/) }]);
    } finally {
      await strict.close();
    }
  });
});

/**
 * Bytes that are not UTF-8 decode to U+FFFD: the text is no longer what the box sent. Such an
 * event is quarantined with its bytes as received (the other events of the batch are stored),
 * and two events that differ only in those bytes stay two.
 */
describe('events whose bytes are not valid UTF-8', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp();
  });

  afterAll(async () => {
    await target.close();
  });

  /** The event as JSON bytes, with `bytes` in the place of the text "@@" in its identity_name. */
  const withBytes = (bytes: number[]) => {
    const event = { ...freshEvent(), identity_name: 'Li @@' };
    const [before, after] = JSON.stringify(event).split('@@');
    return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
  };
  const batchOf = (events: Buffer[]) =>
    Buffer.concat([
      Buffer.from('['),
      ...events.flatMap((event, index) => (index ? [Buffer.from(', '), event] : [event])),
      Buffer.from(']'),
    ]);
  // serialize: supertest would send a Buffer given with a JSON type as {"type":"Buffer",...}.
  const post = (body: Buffer) =>
    request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).set('Content-Type', 'application/json').serialize(asIs).send(body);

  it('quarantines that event of a batch with its bytes as received, naming the field; the others are stored', async () => {
    // GBK, as a box set to a Chinese locale could send it: 李 is 0xC0 0xEE.
    const gbk = withBytes([0xc0, 0xee]);
    const valid = Buffer.from(JSON.stringify(freshEvent()));
    const response = await post(batchOf([valid, gbk, Buffer.from(JSON.stringify(freshEvent()))])).expect(200);
    const results: Result[] = response.body.data.events;
    expect(results.map((result) => result.result)).toEqual(['stored', 'quarantined', 'stored']);
    expect(results[1].errors).toEqual([
      { field: 'identity_name', message: expect.stringMatching(/^identity_name is not valid UTF-8 as sent/) },
    ]);
    const detail = await adminGet(target, `/api/quarantine/${results[1].id}`).expect(200);
    expect(Buffer.from(detail.body.raw_bytes_base64, 'base64')).toEqual(gbk);
    expect(detail.body.event.identity_name).toMatch(/^Li \ufffd/);
  });

  it('keeps two events that differ only in bytes that decode the same as two', async () => {
    const [first, second] = await Promise.all([post(withBytes([0xff])), post(withBytes([0xfe]))]);
    expect(first.body.data.events[0].result).toBe('quarantined');
    expect(second.body.data.events[0].result).toBe('quarantined');
    expect(first.body.data.events[0].id).not.toBe(second.body.data.events[0].id);
  });

  it('a valid event keeps no bytes aside', async () => {
    const response = await post(Buffer.from(JSON.stringify({ ...freshEvent(), score: 'high' }))).expect(200);
    const detail = await adminGet(target, `/api/quarantine/${response.body.data.events[0].id}`).expect(200);
    expect(detail.body.raw_bytes_base64).toBeNull();
  });
});
