import { adminGet, eventOf, EventSpec, foldStats, upload } from './support/admin-api';
import { createTestApp, TestApp } from './support/test-app';

const at = (iso: string) => Date.parse(iso);

/**
 * Around the two daylight-saving changes of 2024 in Europe/Berlin: on 31 March clocks jump from
 * 02:00 CET to 03:00 CEST (01:00 UTC), on 27 October from 03:00 CEST back to 02:00 CET (01:00 UTC).
 */
const SPRING: EventSpec[] = [
  { timestamp: at('2024-03-30T22:59:59.999Z'), person_type: 1, dev_sno: 'box-a' }, // Sat 23:59:59.999 CET
  { timestamp: at('2024-03-30T23:00:00.000Z'), person_type: 4, dev_sno: 'box-a' }, // Sun 00:00 CET
  { timestamp: at('2024-03-31T00:30:00.000Z'), person_type: 1, dev_sno: 'box-b' }, // Sun 01:30 CET
  { timestamp: at('2024-03-31T01:00:00.000Z'), person_type: 2, dev_sno: 'box-a', want_action: '1001' }, // Sun 03:00 CEST
  { timestamp: at('2024-03-31T01:59:00.000Z'), person_type: 4, dev_sno: 'box-b', device_type: '1' }, // Sun 03:59 CEST
  { timestamp: at('2024-03-31T21:59:59.999Z'), person_type: 1, dev_sno: 'box-a' }, // Sun 23:59:59.999 CEST
  { timestamp: at('2024-03-31T22:00:00.000Z'), person_type: 5, dev_sno: 'box-a' }, // Mon 00:00 CEST
];

const AUTUMN: EventSpec[] = [
  { timestamp: at('2024-10-27T00:30:00.000Z'), person_type: 1 }, // 02:30 CEST
  { timestamp: at('2024-10-27T01:30:00.000Z'), person_type: 1 }, // 02:30 CET, an hour later
  { timestamp: at('2024-10-27T01:45:00.000Z'), person_type: 4 }, // 02:45 CET
];

describe('GET /api/events/summary', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp();
    await upload(
      target,
      [...SPRING, ...AUTUMN].map((spec, index) => eventOf({ ...spec, identity_id: `p${index}` })),
    );
  });

  afterAll(async () => {
    await target.close();
  });

  const summary = async (query: Record<string, string>) => (await adminGet(target, '/api/events/summary', query).expect(200)).body;

  const springDays = { from: '2024-03-30T00:00:00+01:00', to: '2024-04-02T00:00:00+02:00', bucket: 'day' };

  /** Each case: the query, and the buckets it must answer, whether the events are folded or not. */
  const cases: [string, Record<string, string>, unknown[]][] = [
    [
      'days in Europe/Berlin: Sunday 31 March has 23 hours',
      { ...springDays, tz: 'Europe/Berlin' },
      [
        { start: '2024-03-30T00:00:00+01:00', total: 1 },
        { start: '2024-03-31T00:00:00+01:00', total: 5 },
        { start: '2024-04-01T00:00:00+02:00', total: 1 },
      ],
    ],
    [
      'the same days in UTC',
      { ...springDays, tz: 'UTC' },
      [
        { start: '2024-03-30T00:00:00+00:00', total: 2 },
        { start: '2024-03-31T00:00:00+00:00', total: 5 },
      ],
    ],
    [
      'hours in Europe/Berlin: there is no 02:00 on 31 March',
      { from: '2024-03-30T23:00:00+01:00', to: '2024-04-01T01:00:00+02:00', bucket: 'hour', tz: 'Europe/Berlin' },
      [
        { start: '2024-03-30T23:00:00+01:00', total: 1 },
        { start: '2024-03-31T00:00:00+01:00', total: 1 },
        { start: '2024-03-31T01:00:00+01:00', total: 1 },
        { start: '2024-03-31T03:00:00+02:00', total: 2 },
        { start: '2024-03-31T23:00:00+02:00', total: 1 },
        { start: '2024-04-01T00:00:00+02:00', total: 1 },
      ],
    ],
    [
      'hours in Europe/Berlin: 02:00 happens twice on 27 October',
      { from: '2024-10-26T00:00:00Z', to: '2024-10-28T00:00:00Z', bucket: 'hour', tz: 'Europe/Berlin', group_by: 'person_type' },
      [
        { start: '2024-10-27T02:00:00+02:00', total: 1, counts: { '1': 1 } },
        { start: '2024-10-27T02:00:00+01:00', total: 2, counts: { '1': 1, '4': 1 } },
      ],
    ],
    [
      'days grouped by person_type',
      { ...springDays, tz: 'Europe/Berlin', group_by: 'person_type' },
      [
        { start: '2024-03-30T00:00:00+01:00', total: 1, counts: { '1': 1 } },
        { start: '2024-03-31T00:00:00+01:00', total: 5, counts: { '1': 2, '2': 1, '4': 2 } },
        { start: '2024-04-01T00:00:00+02:00', total: 1, counts: { '5': 1 } },
      ],
    ],
    [
      'days grouped by dev_sno',
      { ...springDays, tz: 'Europe/Berlin', group_by: 'dev_sno' },
      [
        { start: '2024-03-30T00:00:00+01:00', total: 1, counts: { 'box-a': 1 } },
        { start: '2024-03-31T00:00:00+01:00', total: 5, counts: { 'box-a': 3, 'box-b': 2 } },
        { start: '2024-04-01T00:00:00+02:00', total: 1, counts: { 'box-a': 1 } },
      ],
    ],
    [
      'days grouped by ep_id',
      { ...springDays, tz: 'Europe/Berlin', group_by: 'ep_id' },
      [
        { start: '2024-03-30T00:00:00+01:00', total: 1, counts: { 'box-a__10.0.0.1': 1 } },
        { start: '2024-03-31T00:00:00+01:00', total: 5, counts: { 'box-a__10.0.0.1': 3, 'box-b__10.0.0.1': 2 } },
        { start: '2024-04-01T00:00:00+02:00', total: 1, counts: { 'box-a__10.0.0.1': 1 } },
      ],
    ],
    [
      'days grouped by device_type',
      { ...springDays, tz: 'Europe/Berlin', group_by: 'device_type' },
      [
        { start: '2024-03-30T00:00:00+01:00', total: 1, counts: { '0': 1 } },
        { start: '2024-03-31T00:00:00+01:00', total: 5, counts: { '0': 4, '1': 1 } },
        { start: '2024-04-01T00:00:00+02:00', total: 1, counts: { '0': 1 } },
      ],
    ],
    [
      'days grouped by want_action',
      { ...springDays, tz: 'Europe/Berlin', group_by: 'want_action' },
      [
        { start: '2024-03-30T00:00:00+01:00', total: 1, counts: { '0': 1 } },
        { start: '2024-03-31T00:00:00+01:00', total: 5, counts: { '0': 4, '1001': 1 } },
        { start: '2024-04-01T00:00:00+02:00', total: 1, counts: { '0': 1 } },
      ],
    ],
    [
      'a range cut inside 15-minute slots (from 00:20, to 01:59 UTC, exclusive)',
      { from: '2024-03-31T00:20:00Z', to: '2024-03-31T01:59:00Z', bucket: 'day', tz: 'Europe/Berlin' },
      [{ start: '2024-03-31T00:00:00+01:00', total: 2 }],
    ],
    [
      'a range inside one slot',
      { from: '2024-03-31T01:50:00Z', to: '2024-03-31T01:59:00.001Z', tz: 'UTC' },
      [{ start: '2024-03-31T00:00:00+00:00', total: 1 }],
    ],
    [
      'hours in a zone 45 minutes off the hour (Asia/Kathmandu, +05:45)',
      { from: '2024-03-31T00:00:00Z', to: '2024-03-31T03:00:00Z', bucket: 'hour', tz: 'Asia/Kathmandu' },
      [
        { start: '2024-03-31T06:00:00+05:45', total: 2 }, // 00:30Z and 01:00Z: 06:15 and 06:45 local
        { start: '2024-03-31T07:00:00+05:45', total: 1 }, // 01:59Z: 07:44 local
      ],
    ],
  ];

  const check = async () => {
    for (const [, query, buckets] of cases) {
      const body = await summary(query);
      expect({ query, buckets: body.buckets }).toEqual({ query, buckets });
    }
  };

  it('counts the events not folded yet from the events themselves', async () => {
    await check();
  });

  it('answers the same once the events are folded into the slot counts', async () => {
    await foldStats(target);
    const [{ count }] = await target.dataSource.query('SELECT count(*)::int AS count FROM event_count_slot');
    expect(count).toBeGreaterThan(0);
    await check();
  });

  it('answers the same with folded and unfolded events mixed', async () => {
    await upload(target, [eventOf({ timestamp: at('2024-03-31T10:00:00Z'), person_type: 3, identity_id: 'late' })]);
    const body = await summary({ ...springDays, tz: 'Europe/Berlin', group_by: 'person_type' });
    expect(body.buckets[1]).toEqual({ start: '2024-03-31T00:00:00+01:00', total: 6, counts: { '1': 2, '2': 1, '3': 1, '4': 2 } });
    await foldStats(target);
    expect((await summary({ ...springDays, tz: 'Europe/Berlin', group_by: 'person_type' })).buckets).toEqual(body.buckets);
  });

  it('echoes the query, with the zone as the database spells it', async () => {
    const body = await summary({ from: '1711839600000', to: '1711926000000', tz: 'europe/berlin', group_by: 'person_type' });
    expect(body).toMatchObject({
      from: '2024-03-30T23:00:00.000Z',
      to: '2024-03-31T23:00:00.000Z',
      bucket: 'day',
      tz: 'Europe/Berlin',
      group_by: 'person_type',
    });
    expect((await summary({ from: '1711839600000', to: '1711926000000' })).group_by).toBeNull();
  });

  const refused: [string, Record<string, string>, string][] = [
    ['an unknown time zone', { from: '2024-03-30T00:00:00Z', to: '2024-03-31T00:00:00Z', tz: 'Mars/Olympus_Mons' }, 'tz'],
    ['a missing from', { to: '2024-03-31T00:00:00Z' }, 'from'],
    ['a missing to', { from: '2024-03-31T00:00:00Z' }, 'to'],
    ['to not after from', { from: '2024-03-31T00:00:00Z', to: '2024-03-31T00:00:00Z' }, 'to'],
    ['an unknown bucket', { from: '2024-03-30T00:00:00Z', to: '2024-03-31T00:00:00Z', bucket: 'week' }, 'bucket'],
    ['an unknown group_by', { from: '2024-03-30T00:00:00Z', to: '2024-03-31T00:00:00Z', group_by: 'identity_name' }, 'group_by'],
    ['four years by hour', { from: '2020-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z', bucket: 'hour' }, 'to'],
    ['more than 92 days by hour', { from: '2024-01-01T00:00:00Z', to: '2024-04-02T00:00:01Z', bucket: 'hour' }, 'to'],
    ['27 years by day (it held the database ~1.7 s)', { from: '1997-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }, 'to'],
    ['more than 1,096 days by day', { from: '2020-12-31T00:00:00Z', to: '2024-01-01T00:00:01Z' }, 'to'],
    ['an unknown parameter', { from: '2024-03-30T00:00:00Z', to: '2024-03-31T00:00:00Z', dev_sno: 'x' }, 'dev_sno'],
  ];

  it.each(refused)('refuses %s with 400 naming the parameter', async (_name, query, field) => {
    const response = await adminGet(target, '/api/events/summary', query).expect(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
  });

  it('summarises up to 92 days by hour and three years (1,096 days) by day', async () => {
    await adminGet(target, '/api/events/summary', { from: '2024-01-01T00:00:00Z', to: '2024-04-02T00:00:00Z', bucket: 'hour' }).expect(200);
    await adminGet(target, '/api/events/summary', { from: '2020-12-31T00:00:00Z', to: '2024-01-01T00:00:00Z' }).expect(200);
  });

  it('falls back to the events in a zone whose offset is not a multiple of 15 minutes', async () => {
    // Liberia kept -00:44:30 until 1972: one 15-minute slot holds the end of 31 May and the start of 1 June.
    await upload(target, [
      eventOf({ timestamp: at('1970-06-01T00:40:00Z'), identity_id: 'm1' }),
      eventOf({ timestamp: at('1970-06-01T00:44:00Z'), identity_id: 'm2' }),
      eventOf({ timestamp: at('1970-06-01T00:44:40Z'), identity_id: 'm3' }),
    ]);
    await foldStats(target);
    const body = await summary({ from: '1970-05-30T00:00:00Z', to: '1970-06-03T00:00:00Z', tz: 'Africa/Monrovia' });
    expect(body.buckets).toEqual([
      { start: '1970-05-31T00:00:00-00:44:30', total: 2 },
      { start: '1970-06-01T00:00:00-00:44:30', total: 1 },
    ]);
  });

  // Last: it changes the counts.
  it('reads whole slots from the slot counts, and partial slots and unfolded events from the events', async () => {
    await foldStats(target);
    await target.dataSource.query('UPDATE event_count_slot SET event_count = event_count * 10');
    await upload(target, [eventOf({ timestamp: at('2024-03-31T11:00:00Z'), identity_id: 'unfolded' })]);
    // 00:20 to 01:59 UTC: 00:30 and 01:00 in whole slots (x10), 01:59 cut off; 11:00 not folded yet.
    const body = await summary({ from: '2024-03-31T00:20:00Z', to: '2024-03-31T12:00:00Z', tz: 'UTC' });
    expect(body.buckets).toEqual([{ start: '2024-03-31T00:00:00+00:00', total: 10 + 10 + 10 + 10 + 1 }]);
    // 00:30 (x10) plus 01:59 read from the events, as it sits in the partial slot at the end.
    const cut = await summary({ from: '2024-03-31T00:30:00Z', to: '2024-03-31T01:59:30Z', tz: 'UTC' });
    expect(cut.buckets).toEqual([{ start: '2024-03-31T00:00:00+00:00', total: 10 + 10 + 1 }]);
  });
});
