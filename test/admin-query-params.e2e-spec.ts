import { adminGet, eventOf, upload } from './support/admin-api';
import { createTestApp, TestApp } from './support/test-app';

/** Admin query parameters that PostgreSQL cannot take are a 400 naming them, never a 500. */
describe('admin query parameters the database cannot take', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp();
    await upload(target, [eventOf({ timestamp: 1_710_000_000_000 }), eventOf({ timestamp: 1_710_000_000_001 })]);
  });

  afterAll(async () => {
    await target.close();
  });

  const fieldsOf = (body: { errors?: { field: string }[] }) => body.errors?.map((error) => error.field);

  it.each([
    ['/api/events', 'dev_sno'],
    ['/api/events', 'ep_id'],
    ['/api/events', 'device_ip'],
    ['/api/events', 'device_type'],
    ['/api/events', 'identity_id'],
    ['/api/events', 'identity_name'],
    ['/api/events', 'group_name'],
    ['/api/quarantine', 'dev_sno'],
    ['/api/identities', 'group_name'],
    ['/api/identities', 'identity_id'],
  ])('%s?%s=%00 is a 400 naming the parameter', async (path, parameter) => {
    const response = await adminGet(target, path, { [parameter]: 'box\u0000a' });
    expect({ status: response.status, fields: fieldsOf(response.body) }).toEqual({ status: 400, fields: [parameter] });
    expect(response.body.errors[0].message).toBe(`${parameter} must not hold a NUL character (%00) or an unpaired surrogate`);
  });

  it.each([
    ['a time no date holds', 'e1:n:9999999999999999:5'],
    ['a time past year 9999', 'e1:n:253402300800000:5'],
    ['a negative time', 'e1:n:-1:5'],
  ])('a forged cursor with %s is a 400 naming cursor', async (_what, text) => {
    const response = await adminGet(target, '/api/events', { cursor: Buffer.from(text).toString('base64url') });
    expect({ status: response.status, fields: fieldsOf(response.body) }).toEqual({ status: 400, fields: ['cursor'] });
  });

  it('a genuine cursor still pages', async () => {
    const first = await adminGet(target, '/api/events', { limit: '1' }).expect(200);
    const second = await adminGet(target, '/api/events', { limit: '1', cursor: first.body.next_cursor }).expect(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  it('UTF-8 that encodes a surrogate (%ED%A0%80) is read as text, not a 500', async () => {
    const response = await adminGet(target, '/api/events?identity_name=%ED%A0%80');
    expect(response.status).toBe(200);
  });
});
