import request from 'supertest';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';

const OTHER_KEY = 'other-admin-key-0123456789';

describe('admin API rate limit: per key, with failed authentications counted apart per client', () => {
  let target: TestApp;

  beforeEach(async () => {
    target = await createTestApp({
      ADMIN_API_KEYS: `${TEST_ADMIN_KEY},${OTHER_KEY}`,
      ADMIN_RATE_LIMIT_PER_MINUTE: '3',
      ADMIN_AUTH_FAILURES_PER_MINUTE: '2',
    });
  });

  afterEach(async () => {
    await target.close();
  });

  const call = (authorization?: string) => {
    const pending = request(target.app.getHttpServer()).get('/api/devices');
    return authorization === undefined ? pending : pending.set('Authorization', authorization);
  };

  it('does not let unauthenticated requests from the same address use up a key (an admin behind the same NAT)', async () => {
    await call().expect(401);
    await call('Bearer wrong-key-0123456789abcdef').expect(401);
    const refused = await call().expect(429);
    expect(refused.body).toEqual({
      status: 429,
      message: 'too many failed authentications from this address: retry in a minute',
      errors: [],
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    for (let attempt = 0; attempt < 5; attempt++) await call('Bearer wrong-key-0123456789abcdef').expect(429);

    // The real key is not locked out by them, and has its whole budget.
    for (let request = 0; request < 3; request++) await call(`Bearer ${TEST_ADMIN_KEY}`).expect(200);
    const overKey = await call(`Bearer ${TEST_ADMIN_KEY}`).expect(429);
    expect(overKey.body).toEqual({ status: 429, message: 'too many requests to the admin API: retry in a minute', errors: [] });
    expect(Number(overKey.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('gives each key a budget of its own', async () => {
    for (let request = 0; request < 3; request++) await call(`Bearer ${TEST_ADMIN_KEY}`).expect(200);
    await call(`Bearer ${TEST_ADMIN_KEY}`).expect(429);
    for (let request = 0; request < 3; request++) await call(`Bearer ${OTHER_KEY}`).expect(200);
    await call(`Bearer ${OTHER_KEY}`).expect(429);
    // A key over its limit still counts as authenticated: not a failure of the address.
    await call().expect(401);
  });
});

describe('admin API authorization header: exactly "Bearer <token68>"', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp();
  });

  afterAll(async () => {
    await target.close();
  });

  const status = async (authorization: string) =>
    (await request(target.app.getHttpServer()).get('/api/devices').set('Authorization', authorization)).status;

  it.each([
    ['junk after the key', `Bearer ${TEST_ADMIN_KEY} junk`],
    ['a second key after the key', `Bearer ${TEST_ADMIN_KEY} ${TEST_ADMIN_KEY}`],
    ['two spaces', `Bearer  ${TEST_ADMIN_KEY}`],
    ['a tab', `Bearer\t${TEST_ADMIN_KEY}`],
    ['a comma after the key', `Bearer ${TEST_ADMIN_KEY},`],
    ['no space', `Bearer${TEST_ADMIN_KEY}`],
    ['another scheme', `Token ${TEST_ADMIN_KEY}`],
  ])('refuses %s', async (_name, authorization) => {
    expect(await status(authorization)).toBe(401);
  });

  it.each([
    ['Bearer', `Bearer ${TEST_ADMIN_KEY}`],
    ['bearer', `bearer ${TEST_ADMIN_KEY}`],
    ['BEARER', `BEARER ${TEST_ADMIN_KEY}`],
  ])('accepts the scheme in any case: %s', async (_name, authorization) => {
    expect(await status(authorization)).toBe(200);
  });
});
