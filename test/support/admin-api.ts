import request from 'supertest';
import { HISTORY_EVENT_PATH } from '../../src/events/history-event.controller';
import { EventStatsFolder } from '../../src/admin/stats/event-stats.folder';
import { sampleEvent } from './samples';
import { TEST_ADMIN_KEY, TestApp } from './test-app';

export type IngestAnswer = { id: string; result: 'stored' | 'duplicate' | 'quarantined'; errors?: unknown[] };

/** Uploads through the real endpoint; expects 200 and returns the per-event results. */
export async function upload(target: TestApp, body: unknown): Promise<IngestAnswer[]> {
  const response = await request(target.app.getHttpServer())
    .post(HISTORY_EVENT_PATH)
    .send(body as object);
  if (response.status !== 200) throw new Error(`upload answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.data.events;
}

/** GET with the admin key. */
export function adminGet(target: TestApp, path: string, query: Record<string, unknown> = {}) {
  return request(target.app.getHttpServer())
    .get(path)
    .query(query as Record<string, string>)
    .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);
}

export function adminPost(target: TestApp, path: string) {
  return request(target.app.getHttpServer()).post(path).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);
}

/** Folds every committed event into the device list and summary counts, as the job does. */
export async function foldStats(target: TestApp): Promise<void> {
  if (!(await target.app.get(EventStatsFolder).catchUp(10_000))) throw new Error('folding did not settle in 10 s');
}

export interface EventSpec {
  timestamp: number;
  identity_id?: string;
  identity_name?: string;
  group_name?: string;
  score?: number;
  want_action?: '0' | '1001' | '1002';
  dev_sno?: string;
  ep?: number;
  device_ip?: string;
  device_type?: string;
  /** null: left out (the box's default, 1). */
  person_type?: number | null;
  fiqa_result?: boolean;
  spot_pic?: boolean;
}

/** A small realistic event (no images unless asked): the gate sample with the given fields. */
export function eventOf(spec: EventSpec): Record<string, any> {
  const base = sampleEvent('gate-employee.json');
  const devSno = spec.dev_sno ?? 'box-a';
  const deviceIp = spec.device_ip ?? `10.0.0.${spec.ep ?? 1}`;
  const event: Record<string, any> = {
    identity_id: spec.identity_id ?? '1000',
    identity_name: spec.identity_name ?? 'Tom',
    group_name: spec.group_name ?? 'default_group',
    reg_pic: '',
    timestamp: spec.timestamp,
    score: spec.score ?? 0.9,
    want_action: spec.want_action ?? '0',
    ext_data: {
      device_ip: deviceIp,
      ep_id: `${devSno}__10.0.0.${spec.ep ?? 1}`,
      spot_pic: spec.spot_pic ? base.ext_data.spot_pic : '',
      recognize_face: '',
      person_type: spec.person_type ?? 1,
      device_type: spec.device_type ?? '0',
      grab_fiqa_info: {},
      box_fiqa_info: spec.fiqa_result === undefined ? {} : { fiqa_result: spec.fiqa_result, success: [], fails: [] },
      dev_sno: devSno,
    },
  };
  if (spec.person_type === null) delete event.ext_data.person_type;
  return event;
}
