import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { HISTORY_EVENT_PATH } from '../../src/events/history-event.controller';
import type { TestApp } from './test-app';

/** A Standard Webhooks secret, as an operator would make one. */
export const TEST_WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

/** Settings that make the dispatcher quick for tests: short polls, a short schedule. */
export const QUICK_HOOKS = {
  HOOK_POLL_INTERVAL: '50ms',
  HOOK_RETRY_SCHEDULE: '100ms,100ms,100ms,100ms,100ms',
  HOOK_DELIVERY_TIMEOUT: '2s',
};

/**
 * Checks a Standard Webhooks signature the way a receiver would, written here from the spec
 * rather than with the service's code: HMAC-SHA256 under the base64-decoded secret (after
 * `whsec_`) of `<id>.<timestamp>.<body>`, one of the space-separated `v1,<base64>` signatures.
 */
export function verifyStandardWebhook(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((signature) => {
    const [version, value] = signature.split(',', 2);
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface UploadResult {
  id: string;
  result: string;
}

export async function upload(target: TestApp | string, body: unknown): Promise<UploadResult[]> {
  const agent = typeof target === 'string' ? request(target) : request(target.app.getHttpServer());
  const response = await agent
    .post(HISTORY_EVENT_PATH)
    .send(body as object)
    .expect(200);
  return response.body.data.events;
}

export interface DeliveryRow {
  hook_id: string;
  type: string;
  subscriber: string;
  status: string;
  attempts: number;
  last_error: string | null;
  delivered_at: Date | null;
}

/** The deliveries of the hooks of an event (all hooks when `eventId` is omitted), in hook order. */
export async function deliveriesOf(dataSource: DataSource, eventId?: string): Promise<DeliveryRow[]> {
  return dataSource.query(
    `SELECT h."id" AS hook_id, h."type", d."subscriber", d."status", d."attempts", d."last_error", d."delivered_at"
       FROM "hook" h JOIN "hook_delivery" d ON d."hook_seq" = h."seq"
      WHERE $1::bigint IS NULL OR h."event_id" = $1
      ORDER BY h."seq", d."subscriber"`,
    [eventId ?? null],
  );
}

/** The hook ids of an event's hooks. */
export async function hookIdsOf(dataSource: DataSource, eventId: string): Promise<string[]> {
  const rows: { id: string }[] = await dataSource.query(`SELECT "id" FROM "hook" WHERE "event_id" = $1 ORDER BY "seq"`, [eventId]);
  return rows.map((row) => row.id);
}
