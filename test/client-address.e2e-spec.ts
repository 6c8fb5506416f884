import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../src/events/history-event.controller';
import { eventOf } from './support/admin-api';
import { createTestApp, TestApp } from './support/test-app';
import { nextTimestamp } from './support/samples';

/** Behind a proxy, the client address is whatever X-Forwarded-For says: never a 500, at worst unknown. */
describe('client addresses behind a trusted proxy', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp({ TRUSTED_PROXIES: '127.0.0.1,::1,10.0.0.0/8' });
  });

  afterAll(async () => {
    await target.close();
  });

  const uploadVia = (forwardedFor: string, event = eventOf({ timestamp: nextTimestamp() })) =>
    request(target.app.getHttpServer()).post(HISTORY_EVENT_PATH).set('X-Forwarded-For', forwardedFor).send(event);

  const storedFrom = async (table: string, id: string): Promise<string | null> => {
    const [row] = await target.dataSource.query(`SELECT host(received_from) AS address FROM ${table} WHERE id = $1`, [id]);
    return row.address;
  };

  it.each([
    ['a port (Azure Application Gateway)', '10.1.2.3:1234', '10.1.2.3'],
    ['IPv6 in brackets', '[::1]', '::1'],
    ['IPv6 in brackets with a port', '[2001:db8::1]:443', '2001:db8::1'],
    ['a zone', 'fe80::1%eth0', 'fe80::1'],
    ['an IPv4-mapped IPv6 address', '::ffff:198.51.100.7', '198.51.100.7'],
    ['"unknown"', 'unknown', null],
    ['garbage', 'not-an-address', null],
    ['a chain: the hop before the trusted proxies, which wrote a port', '203.0.113.7, 10.0.0.5:5555', '203.0.113.7'],
    ['a chain ending with an untrusted hop', '203.0.113.7, 198.51.100.9:80', '198.51.100.9'],
  ])('stores an event forwarded for %s, with the bare address (or none)', async (_what, forwardedFor, address) => {
    const response = await uploadVia(forwardedFor);
    expect({ status: response.status, body: response.body.status === 500 ? response.body : undefined }).toEqual({
      status: 200,
      body: undefined,
    });
    const [result] = response.body.data.events;
    expect(result.result).toBe('stored');
    expect(await storedFrom('history_event', result.id)).toBe(address);
  });

  it('quarantines an invalid event forwarded with a port, with the bare address', async () => {
    const response = await uploadVia('10.1.2.3:1234', { ...eventOf({ timestamp: nextTimestamp() }), score: 'high' }).expect(200);
    const [result] = response.body.data.events;
    expect(result.result).toBe('quarantined');
    expect(await storedFrom('quarantined_event', result.id)).toBe('10.1.2.3');
  });
});

describe('INGEST_ALLOW_CIDRS behind a trusted proxy', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp({ TRUSTED_PROXIES: '127.0.0.1,::1', INGEST_ALLOW_CIDRS: '10.1.0.0/16,2001:db8::/32' });
  });

  afterAll(async () => {
    await target.close();
  });

  it.each([
    ['10.1.2.3:1234', 200],
    ['[2001:db8::1]:443', 200],
    ['10.2.0.1:1234', 403],
    ['unknown', 403],
    ['garbage', 403],
  ])('checks the forwarded address %j as a bare IP: %d', async (forwardedFor, status) => {
    await request(target.app.getHttpServer())
      .post(HISTORY_EVENT_PATH)
      .set('X-Forwarded-For', forwardedFor)
      .send(eventOf({ timestamp: nextTimestamp() }))
      .expect(status);
  });
});
