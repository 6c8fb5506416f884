import fc from 'fast-check';
import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { formFields, nextTimestamp, readSample, sampleNames } from './support/samples';
import { rebuildFromDatabase } from './support/stored-events';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Property-based fuzzing of the upload route with mutations of the sample payloads. The seed is
 * fixed (CI runs the same cases every time); `FUZZ_SEED` and `FUZZ_RUNS` change it on demand:
 * `npm run test:fuzz` runs many more cases with a fresh seed.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_124);
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);

type Answer = { status: number; body: any };
type Json = Record<string, any>;

const events: Json[] = sampleNames().flatMap((name) => {
  const sample = readSample<unknown>(name);
  return (Array.isArray(sample) ? sample : [sample]) as Json[];
});

const fresh = (event: Json): Json => ({ ...structuredClone(event), timestamp: nextTimestamp() });

/** Every path to a value in an event: ['ext_data', 'box_fiqa_info', 'info', 'clarity'], ... */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

function setAt(target: Json, path: string[], value: unknown): void {
  let node: any = target;
  for (const key of path.slice(0, -1)) node = node[key];
  Object.defineProperty(node, path[path.length - 1], { value, enumerable: true, writable: true, configurable: true });
}

function deleteAt(target: Json, path: string[]): void {
  let node: any = target;
  for (const key of path.slice(0, -1)) node = node[key];
  delete node[path[path.length - 1]];
}

const nested = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

/** Values of every kind, some of them hostile. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -1, 1.5, 1e308, '', '0', '1001', '1565771454932', 'NaN', [], {}),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 0, max: 2_000 }).map((length) => 'A'.repeat(length * 50)),
  fc.integer({ min: 1, max: 200 }).map(nested),
  fc.constantFrom({ __proto__: null, constructor: { prototype: { polluted: true } } }, JSON.parse('{"__proto__":{"polluted":true}}')),
  fc.string({ unit: fc.constantFrom('A', 'B', '/', '+', '=', '-', '_', '*', ' ', '\n'), minLength: 1, maxLength: 64 }),
);

/** Keys PostgreSQL cannot store (a NUL, unpaired surrogates), and keys that look like paths or prototypes. */
const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'x\u0000y',
    '\ud800',
    'x\udfff',
    '\udc00\ud800',
    '\u0000\ud83d',
    '\ufffd',
    '',
    ' ',
    'a.b',
    '[0]',
    '\\u0000',
    '__proto__',
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', '\ud83d\ude00', 'a', '.', '[', '"', '\r\n'), maxLength: 8 }),
);

/** The paths of the objects of an event (the event itself, ext_data, the FIQA objects, nested unknown ones). */
const objectPathsOf = (event: Json): string[][] =>
  pathsOf(event).filter((path) => {
    let node: any = event;
    for (const key of path) node = node[key];
    return typeof node === 'object' && node !== null && !Array.isArray(node);
  });

/** A multipart/form-data body with these text fields, built by hand: names are written as they are. */
function multipartBody(fields: Record<string, string>): { body: Buffer; contentType: string } {
  const boundary = 'fuzz-boundary-7d1f';
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}

type Mutated = { text: string | Buffer; contentType: string; note: string; poisonedBatch?: boolean };

/**
 * A mutated event as JSON text (some mutations only exist as text: NaN, 1e400, invalid UTF-8), as
 * a form (urlencoded or multipart), or a batch of valid events with one poisoned by a key.
 */
const mutatedBody: fc.Arbitrary<Mutated> = fc
  .tuple(fc.constantFrom(...events), fc.nat(), fc.nat(), hostileValue, fc.nat(13), hostileKey)
  .map(([sample, pathSeed, extraSeed, value, kind, key]): Mutated => {
    const event = fresh(sample);
    const paths = pathsOf(event).filter((path) => path.length > 0);
    const path = paths[pathSeed % paths.length];
    const objects = objectPathsOf(event);
    const objectPath = objects[extraSeed % objects.length];
    switch (kind) {
      case 0:
        deleteAt(event, path);
        return { text: JSON.stringify(event), contentType: 'application/json', note: `delete ${path.join('.')}` };
      case 1: {
        const text = JSON.stringify(event).replace(/"score":[^,}]+/, ['"score":NaN', '"score":1e400', '"score":-Infinity'][extraSeed % 3]);
        return { text, contentType: 'application/json', note: 'non-finite score' };
      }
      case 2: {
        const bytes = Buffer.from(JSON.stringify(event));
        bytes[extraSeed % bytes.length] = 0xff;
        return { text: bytes, contentType: 'application/json', note: 'invalid UTF-8' };
      }
      case 3:
        return {
          text: '',
          contentType: ['application/json', 'application/x-www-form-urlencoded', 'text/plain'][extraSeed % 3],
          note: 'empty body',
        };
      case 4:
        return {
          text: JSON.stringify(event),
          contentType: ['text/plain', 'application/xml', 'application/octet-stream', 'multipart/form-data'][extraSeed % 4],
          note: 'wrong content type',
        };
      case 5: {
        const batch = Array.from({ length: 101 + (extraSeed % 50) }, () => fresh(sample));
        return { text: JSON.stringify(batch), contentType: 'application/json', note: 'oversize batch' };
      }
      case 6:
        setAt(event, [...path.slice(0, -1), ['__proto__', 'constructor', 'prototype', 'toString'][extraSeed % 4]], value);
        return { text: JSON.stringify(event), contentType: 'application/json', note: 'prototype keys' };
      case 10:
        setAt(event, [...objectPath, key], value);
        return {
          text: JSON.stringify(event),
          contentType: 'application/json',
          note: `key ${JSON.stringify(key)} in ${objectPath.join('.')}`,
        };
      case 11: {
        if (extraSeed % 2) setAt(event, [...objectPath, key], value);
        else setAt(event, path, value);
        const body = Object.entries(formFields(event))
          .map(
            ([name, text]) =>
              `${encodeURIComponent(name.replace(/[\ud800-\udfff]/g, '?'))}=${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '?'))}`,
          )
          .join('&');
        // A NUL and an unpaired surrogate written as percent escapes: %00, and the UTF-8 of a surrogate.
        const text = `${body}&${['x%00', '%ED%A0%80', 'ext_data%00'][extraSeed % 3]}=${extraSeed % 2 ? '%00' : '1'}`;
        return { text, contentType: 'application/x-www-form-urlencoded', note: 'urlencoded form' };
      }
      case 12: {
        if (extraSeed % 2) setAt(event, [...objectPath, key], value);
        else setAt(event, path, value);
        const { body, contentType } = multipartBody({ ...formFields(event), [key]: JSON.stringify(value) ?? '' });
        return { text: body, contentType, note: 'multipart form' };
      }
      case 13: {
        setAt(event, [...objectPath, key], 1);
        const poisoned = key.includes('\u0000') || !key.isWellFormed();
        const batch = [fresh(sample), event, fresh(sample)];
        return { text: JSON.stringify(batch), contentType: 'application/json', note: 'batch with a poisoned key', poisonedBatch: poisoned };
      }
      default:
        setAt(event, path, value);
        return { text: JSON.stringify(event), contentType: 'application/json', note: `set ${path.join('.')}` };
    }
  });

/** X-Forwarded-For values as proxies and clients write them, and garbage (only what a header can carry). */
const forwardedFor: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    '10.1.2.3',
    '10.1.2.3:1234',
    'unknown',
    '[::1]',
    '[2001:db8::1]:443',
    'fe80::1%eth0',
    '::ffff:1.2.3.4',
    '1.2.3.4, 10.0.0.1:80',
    '_hidden',
    '',
  ),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef:.[]%, unknow-'.split('')), maxLength: 48 }),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 64 }),
);

describe('fuzzing the upload route', () => {
  let target: TestApp;

  beforeAll(async () => {
    // Behind a trusted proxy (the test client), so that X-Forwarded-For is read.
    target = await createTestApp({ BODY_LIMIT: '2mb', TRUSTED_PROXIES: '127.0.0.1,::1' });
  });

  afterAll(async () => {
    await target.close();
  });

  const send = async (text: string | Buffer, contentType: string, forwarded?: string): Promise<Answer> => {
    const upload = request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).set('Content-Type', contentType);
    if (forwarded !== undefined) upload.set('X-Forwarded-For', forwarded);
    // Bytes go out as they are (supertest would send a Buffer with a JSON type as {"type":"Buffer",...}).
    const response = await upload.serialize((body: unknown) => body as string).send(text);
    return { status: response.status, body: response.body };
  };

  it('never answers 500 nor stops, and names the field of what it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBody, forwardedFor, async ({ text, contentType, note, poisonedBatch }, forwarded) => {
        const answer = await send(text, contentType, forwarded);
        // The mutation is named in a failure: fast-check shrinks to the smallest case that fails.
        const answered = { note, forwarded, status: answer.status, expected: [200, 400, 413, 415].includes(answer.status) };
        expect(answered).toEqual({ ...answered, expected: true });
        if (poisonedBatch) {
          expect(answer.body.data.events.map((result: { result: string }) => result.result)).toEqual(['stored', 'quarantined', 'stored']);
        }
        if (answer.status === 200) {
          for (const result of answer.body.data.events) {
            expect(['stored', 'duplicate', 'quarantined']).toContain(result.result);
            if (result.result === 'quarantined') {
              expect(result.errors.length).toBeGreaterThan(0);
              for (const error of result.errors) {
                expect(typeof error.field).toBe('string');
                expect(error.message).toMatch(/\S/);
              }
            }
          }
        } else {
          expect(answer.body).toEqual({ status: answer.status, message: expect.stringMatching(/\S/), errors: expect.any(Array) });
        }
        await request(target.app.getHttpServer()).get('/health/live').expect(200);
        expect(({} as Json).polluted).toBeUndefined();
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 300_000);

  /** Valid events: a sample with its fields redrawn within the spec, and unknown keys added. */
  const validEvent: fc.Arbitrary<Json> = fc
    .record({
      sample: fc.constantFrom(...events),
      identity_id: fc.string({ minLength: 1, maxLength: 40 }),
      identity_name: fc.string({ maxLength: 40 }),
      score: fc.double({ noNaN: true, noDefaultInfinity: true }),
      person_type: fc.option(fc.constantFrom(1, 2, 3, 4, 5), { nil: undefined }),
      want_action: fc.constantFrom('0', '1001', '1002'),
      dev_sno: fc.string({ maxLength: 40 }),
      extra: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
    })
    .filter(({ identity_id, identity_name, dev_sno, extra }) =>
      [identity_id, identity_name, dev_sno, JSON.stringify(extra)].every((text) => !text.includes('\u0000') && text.isWellFormed()),
    )
    .map(({ sample, person_type, extra, ...fields }) => {
      const event = fresh(sample);
      Object.assign(event, {
        identity_id: fields.identity_id,
        identity_name: fields.identity_name,
        score: fields.score,
        want_action: fields.want_action,
      });
      event.ext_data.dev_sno = fields.dev_sno;
      if (person_type === undefined) delete event.ext_data.person_type;
      else event.ext_data.person_type = person_type;
      for (const [key, value] of Object.entries(extra)) {
        if (!(key in event)) setAt(event, [key], value);
      }
      // JSON has no -0: the box's text "-0" and "0" are the same value.
      return JSON.parse(JSON.stringify(event));
    });

  it('stores a valid event exactly as it was sent', async () => {
    await fc.assert(
      fc.asyncProperty(validEvent, async (event) => {
        const answer = await send(JSON.stringify(event), 'application/json');
        expect(answer.status).toBe(200);
        const [result] = answer.body.data.events;
        expect(result.result).toBe('stored');
        expect(await rebuildFromDatabase(target.dataSource, result.id)).toEqual(event);
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 2) },
    );
  }, 300_000);
});
