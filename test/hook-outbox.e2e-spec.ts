import { upload } from './support/hooks';
import { readSample } from './support/samples';
import { createTestApp, TestApp } from './support/test-app';

const hooksOf = (target: TestApp, eventId: string) =>
  target.dataSource.query('SELECT id, type, ordering_key, payload, fanned_out FROM hook WHERE event_id = $1 ORDER BY seq', [eventId]);

describe('the hook outbox, written with the event', () => {
  let target: TestApp;

  beforeAll(async () => {
    // No dispatcher: the hooks stay as the ingest wrote them.
    target = await createTestApp({ HOOK_DISPATCHER_ENABLED: 'false' });
  });

  afterAll(async () => {
    await target.close();
  });

  it('records stranger.registration for want_action 1001, with a small payload and no image', async () => {
    const [{ id }] = await upload(target, readSample('snapcam-stranger-1001.json'));
    const hooks = await hooksOf(target, id);
    expect(hooks).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'stranger.registration',
        ordering_key: '1602612036.3828533',
        fanned_out: false,
        payload: {
          event: { timestamp: 1602612036150, time: '2020-10-13T18:00:36.150Z', score: 0.21, want_action: '1001' },
          identity: { id: '1602612036.3828533', name: 'stranger', group: 'default_group', person_type: 4 },
          device: {
            dev_sno: '3714be15-09b3-41ec-b9ce-62b668e5fa32',
            ep_id: '3714be15-09b3-41ec-b9ce-62b668e5fa32__192.168.1.101',
            device_ip: '192.168.1.101',
            device_type: '1',
          },
          fiqa: { result: true, fails: [] },
          images: ['spot_pic', 'recognize_face'],
        },
      },
    ]);
  });

  it('records gallery.update for want_action 1002, nothing for 0', async () => {
    const [update] = await upload(target, readSample('gallery-update-1002.json'));
    expect((await hooksOf(target, update.id)).map((hook: { type: string }) => hook.type)).toEqual(['gallery.update']);
    const [plain] = await upload(target, readSample('gate-employee.json'));
    expect(await hooksOf(target, plain.id)).toEqual([]);
  });

  it('records no new hook for a replayed event', async () => {
    const poor = readSample('snapcam-stranger-1001-poor-quality.json');
    const [first] = await upload(target, poor);
    const [replay] = await upload(target, poor);
    expect(replay).toEqual({ id: first.id, result: 'duplicate' });
    expect(await hooksOf(target, first.id)).toHaveLength(1);
  });

  it('records event.stored for every stored event when HOOK_EVENT_STORED is on', async () => {
    const everything = await createTestApp({ HOOK_EVENT_STORED: 'true', HOOK_DISPATCHER_ENABLED: 'false' });
    try {
      const results = await upload(everything, [readSample('snapcam-stranger-1001.json'), readSample('gate-employee.json')]);
      const types = await Promise.all(
        results.map(async ({ id }) => (await hooksOf(everything, id)).map((hook: { type: string }) => hook.type)),
      );
      expect(types).toEqual([['stranger.registration', 'event.stored'], ['event.stored']]);
    } finally {
      await everything.close();
    }
  });
});
