import { createHash } from 'node:crypto';
import request from 'supertest';
import { adminGet, eventOf, EventSpec, upload } from './support/admin-api';
import { sampleEvent } from './support/samples';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';

/** An uploaded event, with its id and what the filters look at. */
interface Stored extends Required<Omit<EventSpec, 'person_type' | 'spot_pic' | 'fiqa_result' | 'device_ip'>> {
  id: string;
  person_type: number;
  spot_pic: boolean;
  fiqa_result?: boolean;
  device_ip: string;
}

const T0 = Date.parse('2024-05-01T08:00:00Z');
const MINUTE = 60_000;

/**
 * 30 events over 3 boxes (one not in managed mode: dev_sno ''), 2 edge points each, people,
 * strangers, scores, FIQA verdicts and images; two pairs share a timestamp (ties go by id).
 */
function specs(): EventSpec[] {
  const people = [
    { identity_id: '1001', identity_name: 'Tom Müller', group_name: 'staff', person_type: 1 },
    { identity_id: '1002', identity_name: 'Anna Schmidt', group_name: 'staff', person_type: 1 },
    { identity_id: '2001', identity_name: 'Ann-Kathrin 100%_off', group_name: 'visitors', person_type: 2 },
    { identity_id: '3001', identity_name: 'Blacklisted Bob', group_name: 'watch', person_type: 3 },
    { identity_id: '1700000000.1', identity_name: 'stranger', group_name: 'default_group', person_type: 4 },
    { identity_id: '5001', identity_name: 'VIP Vera', group_name: 'vip', person_type: 5 },
  ];
  const boxes = ['box-a', 'box-b', ''];
  return Array.from({ length: 30 }, (_, index) => {
    const person = people[index % people.length];
    return {
      ...person,
      // Events 10/11 and 20/21 share a timestamp.
      timestamp: T0 + (index === 11 || index === 21 ? index - 1 : index) * 17 * MINUTE,
      score: Math.round((0.5 + (index % 10) / 20) * 100) / 100,
      want_action: index % 7 === 3 ? '1001' : index % 11 === 5 ? '1002' : '0',
      dev_sno: boxes[index % 3],
      ep: 1 + (index % 2),
      device_type: index % 2 === 0 ? '0' : '1',
      person_type: index === 25 ? null : person.person_type,
      fiqa_result: index % 4 === 0 ? undefined : index % 4 !== 1,
      spot_pic: index % 5 === 0,
    };
  });
}

const newestFirst = (a: Stored, b: Stored) => b.timestamp - a.timestamp || Number(b.id) - Number(a.id);
const ids = (events: Stored[]) => [...events].sort(newestFirst).map((event) => event.id);

describe('GET /api/events', () => {
  let target: TestApp;
  let stored: Stored[];

  beforeAll(async () => {
    target = await createTestApp();
    const all = specs();
    const results = await upload(target, all.map(eventOf));
    stored = all.map((spec, index) => ({
      identity_id: spec.identity_id!,
      identity_name: spec.identity_name!,
      group_name: spec.group_name!,
      timestamp: spec.timestamp,
      score: spec.score!,
      want_action: spec.want_action!,
      dev_sno: spec.dev_sno!,
      ep: spec.ep!,
      device_ip: `10.0.0.${spec.ep}`,
      device_type: spec.device_type!,
      person_type: spec.person_type ?? 1,
      fiqa_result: spec.fiqa_result,
      spot_pic: spec.spot_pic!,
      id: results[index].id,
    }));
    expect(results.every((result) => result.result === 'stored')).toBe(true);
  });

  afterAll(async () => {
    await target.close();
  });

  const list = async (query: Record<string, unknown>) => {
    const response = await adminGet(target, '/api/events', { limit: 500, ...query }).expect(200);
    return response.body.items.map((item: { id: string }) => item.id);
  };

  it('lists newest first by event time, ties by id, and oldest first on request', async () => {
    expect(await list({})).toEqual(ids(stored));
    expect(await list({ order: 'oldest' })).toEqual(ids(stored).reverse());
  });

  const epOf = (event: Stored) => `${event.dev_sno}__10.0.0.${event.ep}`;
  const filters: [string, Record<string, unknown>, (event: Stored) => boolean][] = [
    ['from (ISO 8601)', { from: new Date(T0 + 100 * MINUTE).toISOString() }, (e) => e.timestamp >= T0 + 100 * MINUTE],
    ['to (epoch ms, exclusive)', { to: String(T0 + 170 * MINUTE) }, (e) => e.timestamp < T0 + 170 * MINUTE],
    ['from with an offset', { from: '2024-05-01T12:00:00+02:00' }, (e) => e.timestamp >= Date.parse('2024-05-01T10:00:00Z')],
    ['dev_sno', { dev_sno: 'box-b' }, (e) => e.dev_sno === 'box-b'],
    ['dev_sno empty (boxes not in managed mode)', { dev_sno: '' }, (e) => e.dev_sno === ''],
    ['ep_id', { ep_id: 'box-a__10.0.0.2' }, (e) => epOf(e) === 'box-a__10.0.0.2'],
    ['device_ip', { device_ip: '10.0.0.2' }, (e) => e.device_ip === '10.0.0.2'],
    ['device_type', { device_type: '1' }, (e) => e.device_type === '1'],
    ['identity_id', { identity_id: '1002' }, (e) => e.identity_id === '1002'],
    ['identity_name, any case', { identity_name: 'mÜLLER' }, (e) => e.identity_name === 'Tom Müller'],
    ['identity_name substring', { identity_name: 'ann' }, (e) => /ann/i.test(e.identity_name)],
    ['identity_name with % and _ taken literally', { identity_name: '100%_' }, (e) => e.identity_name.includes('100%_')],
    ['identity_name with % matching nothing literally', { identity_name: 'T%r' }, () => false],
    ['group_name', { group_name: 'staff' }, (e) => e.group_name === 'staff'],
    ['person_type, one', { person_type: '4' }, (e) => e.person_type === 4],
    ['person_type, several (comma)', { person_type: '2,4' }, (e) => [2, 4].includes(e.person_type)],
    ['person_type, several (repeated)', { person_type: ['3', '5'] }, (e) => [3, 5].includes(e.person_type)],
    ['person_type 1 includes events without it', { person_type: '1' }, (e) => e.person_type === 1],
    ['want_action', { want_action: '1001' }, (e) => e.want_action === '1001'],
    ['score_min', { score_min: '0.8' }, (e) => e.score >= 0.8],
    ['score_max', { score_max: '0.6' }, (e) => e.score <= 0.6],
    ['fiqa_result true', { fiqa_result: 'true' }, (e) => e.fiqa_result === true],
    ['fiqa_result false', { fiqa_result: 'false' }, (e) => e.fiqa_result === false],
    ['has_image', { has_image: 'spot_pic' }, (e) => e.spot_pic],
    ['has_image of a kind sent empty', { has_image: 'reg_pic' }, () => false],
  ];

  it.each(filters)('filters by %s', async (_name, query, predicate) => {
    const expected = ids(stored.filter(predicate));
    expect(await list(query)).toEqual(expected);
    const counted = await adminGet(target, '/api/events', { ...query, count: 'true', limit: 1 }).expect(200);
    expect(counted.body.total).toBe(expected.length);
  });

  it('combines filters with AND', async () => {
    const combined: [Record<string, unknown>, (event: Stored) => boolean][] = [
      [
        { dev_sno: 'box-a', from: String(T0 + 50 * MINUTE), to: String(T0 + 400 * MINUTE) },
        (e) => e.dev_sno === 'box-a' && e.timestamp >= T0 + 50 * MINUTE && e.timestamp < T0 + 400 * MINUTE,
      ],
      [
        { person_type: '1,4', device_type: '0', score_min: '0.6', score_max: '0.9' },
        (e) => [1, 4].includes(e.person_type) && e.device_type === '0' && e.score >= 0.6 && e.score <= 0.9,
      ],
      [
        { identity_name: 'a', group_name: 'staff', fiqa_result: 'true', order: 'oldest' },
        (e) => /a/i.test(e.identity_name) && e.group_name === 'staff' && e.fiqa_result === true,
      ],
      [
        { ep_id: 'box-b__10.0.0.1', has_image: 'spot_pic', want_action: '1001' },
        (e) => epOf(e) === 'box-b__10.0.0.1' && e.spot_pic && e.want_action === '1001',
      ],
    ];
    for (const [query, predicate] of combined) {
      const expected = ids(stored.filter(predicate));
      expect(expected.length).toBeGreaterThan(0);
      expect(await list(query)).toEqual(query.order === 'oldest' ? expected.reverse() : expected);
    }
  });

  it('pages through a name filter: full pages from the time-order walk, the last one from the trigram index', async () => {
    for (const order of ['newest', 'oldest']) {
      const expected = ids(stored.filter((e) => /a/i.test(e.identity_name)));
      let cursor: string | undefined;
      const walked: string[] = [];
      for (;;) {
        const body = (
          await adminGet(target, '/api/events', { identity_name: 'A', limit: 2, order, ...(cursor ? { cursor } : {}) }).expect(200)
        ).body;
        walked.push(...body.items.map((item: { id: string }) => item.id));
        if (!body.next_cursor) break;
        cursor = body.next_cursor;
      }
      expect(walked).toEqual(order === 'newest' ? expected : expected.reverse());
    }
  });

  it('answers a page deep in the list through the cursor, and the last page without next_cursor', async () => {
    const all = ids(stored);
    let cursor: string | undefined;
    const walked: string[] = [];
    for (;;) {
      const body = (await adminGet(target, '/api/events', { limit: 7, ...(cursor ? { cursor } : {}) }).expect(200)).body;
      walked.push(...body.items.map((item: { id: string }) => item.id));
      if (!body.next_cursor) break;
      cursor = body.next_cursor;
    }
    expect(walked.filter((id) => all.includes(id))).toEqual(all);
  });

  it("shows items with the box's field names, the id, times and image links, never base64", async () => {
    const [withImage] = stored.filter((event) => event.spot_pic).sort(newestFirst);
    const body = (
      await adminGet(target, '/api/events', { identity_id: withImage.identity_id, has_image: 'spot_pic', limit: 1 }).expect(200)
    ).body;
    const spotPic = Buffer.from(sampleEvent('gate-employee.json').ext_data.spot_pic, 'base64');
    expect(body.items[0]).toEqual({
      id: withImage.id,
      received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      identity_id: withImage.identity_id,
      identity_name: withImage.identity_name,
      group_name: withImage.group_name,
      timestamp: withImage.timestamp,
      event_time: new Date(withImage.timestamp).toISOString(),
      score: withImage.score,
      want_action: withImage.want_action,
      ext_data: {
        device_ip: withImage.device_ip,
        ep_id: `${withImage.dev_sno}__10.0.0.${withImage.ep}`,
        person_type: withImage.person_type,
        device_type: withImage.device_type,
        dev_sno: withImage.dev_sno,
      },
      images: {
        reg_pic: {
          url: null,
          thumbnail_url: null,
          content_type: null,
          byte_size: 0,
          sha256: createHash('sha256').update('').digest('hex'),
        },
        spot_pic: {
          url: `/api/events/${withImage.id}/images/spot_pic`,
          thumbnail_url: `/api/events/${withImage.id}/images/spot_pic/thumbnail`,
          content_type: 'image/jpeg',
          byte_size: spotPic.length,
          sha256: createHash('sha256').update(spotPic).digest('hex'),
        },
        recognize_face: {
          url: null,
          thumbnail_url: null,
          content_type: null,
          byte_size: 0,
          sha256: createHash('sha256').update('').digest('hex'),
        },
      },
      fiqa_result: withImage.fiqa_result ?? null,
    });
    const everything = await adminGet(target, '/api/events', { limit: 500 }).expect(200);
    expect(everything.text).not.toContain(spotPic.toString('base64').slice(0, 64));
  });

  const refused: [string, Record<string, unknown>, string][] = [
    ['an unknown filter', { colour: 'red' }, 'colour'],
    ['a filter given as a nested object', { 'dev_sno[x]': 'a' }, 'dev_sno[x]'],
    ['a time that is not epoch ms or ISO 8601', { from: 'yesterday' }, 'from'],
    ['an ISO date-time without a zone', { from: '2024-05-01T08:00:00' }, 'from'],
    ['an impossible date', { to: '2024-02-30T00:00:00Z' }, 'to'],
    ['to before from', { from: String(T0), to: String(T0 - 1) }, 'to'],
    ['a person_type out of range', { person_type: '9' }, 'person_type'],
    ['a person_type that is not a number', { person_type: '1,x' }, 'person_type'],
    ['an unknown want_action', { want_action: '7' }, 'want_action'],
    ['a score that is not a number', { score_min: 'high' }, 'score_min'],
    ['score_max below score_min', { score_min: '0.9', score_max: '0.1' }, 'score_max'],
    ['a fiqa_result that is not a boolean', { fiqa_result: 'maybe' }, 'fiqa_result'],
    ['an unknown image kind', { has_image: 'face' }, 'has_image'],
    ['an unknown order', { order: 'random' }, 'order'],
    ['a limit of 0', { limit: '0' }, 'limit'],
    ['a limit over 500', { limit: '501' }, 'limit'],
    ['a limit that is not a number', { limit: 'all' }, 'limit'],
    ['a filter given twice', { dev_sno: ['a', 'b'] }, 'dev_sno'],
    ['a cursor that was not given out', { cursor: 'bm9wZQ' }, 'cursor'],
    ['a cursor past the largest event id', { cursor: Buffer.from('e1:n:1:9999999999999999999').toString('base64url') }, 'cursor'],
    ['a count that is not a boolean', { count: 'yes please' }, 'count'],
  ];

  it.each(refused)('refuses %s with 400 naming the parameter', async (_name, query, field) => {
    const response = await adminGet(target, '/api/events', query).expect(400);
    expect(response.body).toEqual({ status: 400, message: expect.any(String), errors: expect.any(Array) });
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('refuses a cursor of the other order', async () => {
    const { next_cursor } = (await adminGet(target, '/api/events', { limit: 2 }).expect(200)).body;
    const response = await adminGet(target, '/api/events', { limit: 2, order: 'oldest', cursor: next_cursor }).expect(400);
    expect(response.body.errors).toEqual([{ field: 'cursor', message: expect.stringContaining('same order') }]);
  });

  it('reads from and to with an unencoded + as a space', async () => {
    const query = '/api/events?limit=500&from=2024-05-01T12:00:00+02:00';
    const response = await request(target.app.getHttpServer()).get(query).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`).expect(200);
    expect(response.body.items.map((item: { id: string }) => item.id)).toEqual(
      ids(stored.filter((e) => e.timestamp >= Date.parse('2024-05-01T10:00:00Z'))),
    );
  });

  // Last: it adds events of its own box.
  it('pages through every event with no gap and no repeat while new events arrive', async () => {
    const box = 'box-p';
    const originals = await upload(
      target,
      Array.from({ length: 41 }, (_, index) =>
        eventOf({ dev_sno: box, identity_id: `p-${index}`, timestamp: T0 + Math.floor(index / 3) * MINUTE }),
      ),
    );
    const seen: { id: string; time: number }[] = [];
    const ahead: string[] = [];
    const behind: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const body = (await adminGet(target, '/api/events', { limit: 4, dev_sno: box, ...(cursor ? { cursor } : {}) }).expect(200)).body;
      seen.push(...body.items.map((item: { id: string; timestamp: number }) => ({ id: item.id, time: item.timestamp })));
      // Meanwhile the box uploads an event newer than every page (behind the walk) and one older than all (ahead of it).
      const [newer, older] = await upload(target, [
        eventOf({ dev_sno: box, identity_id: `behind-${page}`, timestamp: T0 + 10_000 * MINUTE + page }),
        eventOf({ dev_sno: box, identity_id: `ahead-${page}`, timestamp: T0 - 10_000 * MINUTE - page }),
      ]);
      behind.push(newer.id);
      ahead.push(older.id);
      cursor = body.next_cursor ?? undefined;
      if (!cursor) break;
    }
    const seenIds = seen.map((item) => item.id);
    expect(new Set(seenIds).size).toBe(seenIds.length);
    for (let index = 1; index < seen.length; index++) {
      const [a, b] = [seen[index - 1], seen[index]];
      expect(a.time > b.time || (a.time === b.time && Number(a.id) > Number(b.id))).toBe(true);
    }
    expect(originals.map((original) => original.id).filter((id) => !seenIds.includes(id))).toEqual([]);
    // Events arriving ahead of the walk are met (all but the last page's), those behind it are not.
    expect(ahead.slice(0, -1).filter((id) => !seenIds.includes(id))).toEqual([]);
    expect(behind.filter((id) => seenIds.includes(id))).toEqual([]);
  });
});
