import request from 'supertest';
import { deliveriesOf, QUICK_HOOKS, upload } from './support/hooks';
import { pollUntil } from './support/poll';
import { sampleEvent } from './support/samples';
import { createTestApp, TEST_ADMIN_KEY, TestApp } from './support/test-app';

/**
 * The lists paged by id, newest first: hooks, gallery identities, gallery changes, quarantine.
 * They share one page query (limit, cursor) and one cursor.
 */
const ID_PAGED_LISTS = ['/api/hooks', '/api/identities', '/api/gallery/changes', '/api/quarantine'];

const get = (target: TestApp, path: string, query: Record<string, string | string[]> = {}) =>
  request(target.app.getHttpServer()).get(path).query(query).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);

const base64url = (text: string) => Buffer.from(text).toString('base64url');

const NOT_GIVEN_OUT = 'cursor must be a next_cursor value from an earlier page';

/** Reads a whole list page by page; returns the ids in order and the size of each page. */
async function walk(target: TestApp, path: string, limit: number, idOf: (item: any) => string) {
  const ids: string[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const page: request.Response = await get(target, path, { limit: String(limit), ...(cursor ? { cursor } : {}) }).expect(200);
    ids.push(...page.body.items.map(idOf));
    sizes.push(page.body.items.length);
    cursor = page.body.next_cursor;
  } while (cursor !== null && sizes.length < 100);
  return { ids, sizes };
}

describe('lists paged by id', () => {
  let target: TestApp;

  beforeAll(async () => {
    target = await createTestApp(QUICK_HOOKS);
    // Three gallery updates for three people: three hooks, three identities, three gallery changes.
    const events = ['30001', '30002', '30003'].map((identityId, index) => ({
      ...sampleEvent('gallery-update-1002.json'),
      identity_id: identityId,
      timestamp: 1_700_000_000_000 + index,
    }));
    const stored = await upload(target, events);
    for (const { id } of stored) {
      await pollUntil(
        () => deliveriesOf(target.dataSource, id),
        (rows) => rows.length > 0 && rows.every((row) => row.status === 'delivered'),
        { what: `the gallery delivery of event ${id}` },
      );
    }
  });

  afterAll(async () => {
    await target.close();
  });

  it.each([
    ['text that was never a cursor', 'nonsense', NOT_GIVEN_OUT],
    ['an id cursor for id 0', base64url('id:0'), NOT_GIVEN_OUT],
    ['an id cursor beyond the largest bigint', base64url('id:9999999999999999999'), NOT_GIVEN_OUT],
    ['an event list cursor', base64url('e1:n:1700000000000:2'), NOT_GIVEN_OUT],
    ['an empty cursor', '', NOT_GIVEN_OUT],
    ['a cursor given twice', ['nonsense', 'other'], 'cursor must be given once, as text'],
  ])('answers 400 naming cursor for %s, on every list', async (_name, cursor, message) => {
    for (const path of ID_PAGED_LISTS) {
      const response = await get(target, path, { cursor });
      expect({ path, status: response.status, body: response.body }).toEqual({
        path,
        status: 400,
        body: { status: 400, message: 'the request is not valid', errors: [{ field: 'cursor', message }] },
      });
    }
  });

  it('answers 400 naming limit for a limit out of 1 to 500, on every list', async () => {
    for (const path of ID_PAGED_LISTS) {
      for (const limit of ['0', '501', '2.5', 'ten']) {
        const response = await get(target, path, { limit }).expect(400);
        expect({ path, limit, errors: response.body.errors }).toEqual({
          path,
          limit,
          errors: [{ field: 'limit', message: 'limit must be a whole number from 1 to 500' }],
        });
      }
    }
  });

  it.each([
    ['/api/hooks', (item: { id: string }) => item.id],
    ['/api/identities', (item: { id: string }) => item.id],
    ['/api/gallery/changes', (item: { hook_id: string }) => item.hook_id],
  ])('pages through %s without gaps or repeats, the last page saying it is the last', async (path, idOf) => {
    const all = (await get(target, path).expect(200)).body;
    expect(all.items).toHaveLength(3);
    expect(all.next_cursor).toBeNull();
    const everything = all.items.map(idOf);

    expect(await walk(target, path, 2, idOf)).toEqual({ ids: everything, sizes: [2, 1] });
    // A last page that is exactly full answers next_cursor null, not a cursor to an empty page.
    expect(await walk(target, path, 3, idOf)).toEqual({ ids: everything, sizes: [3] });
    expect(await walk(target, path, 1, idOf)).toEqual({ ids: everything, sizes: [1, 1, 1] });
  });
});
