import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { textPrefixEquals } from '../database/long-text';
import type { HookType } from '../events/entities/hook.entity';
import type { HookWithDeliveriesRow } from './dto/hook.dto';
import type { DeliveryStatus } from './entities/hook-delivery.entity';
import type { HookImageRow, HookPayload } from './hook-message';

/** Instances fan out one at a time, on this advisory lock, so that deliveries are created in hook order. */
const FAN_OUT_LOCK_ID = 0x5e3_400c;

/** A delivery leased by `claim`, with its hook. */
export interface ClaimedDelivery {
  hook_seq: string;
  subscriber: string;
  attempts: number;
  claim_token: string;
  id: string;
  type: HookType;
  event_id: string;
  created_at: Date;
  payload: HookPayload;
}

/** What an attempt came to, as `record` writes it. */
export interface DeliveryOutcome {
  hookSeq: string;
  subscriber: string;
  status: DeliveryStatus;
  error: string | null;
  /** Wait before the next attempt, for a failure that is not the last. */
  retryInMs: number | null;
}

export type HookStatusFilter = 'all' | 'pending' | 'delivered' | 'dead';

/** The backlog `se3_hooks{state}` reports. */
export interface HookBacklog {
  awaiting_fan_out: number;
  pending: number;
  dead: number;
}

/**
 * Hook seqs of one page, and one more to know whether a next page follows, newest first, for
 * each status filter (each reads an index, not every hook).
 */
const PAGE_SQL: Record<HookStatusFilter, string> = {
  all: `SELECT h."seq" FROM "hook" h WHERE h."seq" < $1 ORDER BY h."seq" DESC LIMIT $2`,
  dead: `SELECT DISTINCT d."hook_seq" AS "seq" FROM "hook_delivery" d
          WHERE d."status" = 'dead' AND d."hook_seq" < $1 ORDER BY "seq" DESC LIMIT $2`,
  pending: `SELECT "seq" FROM (
              SELECT d."hook_seq" AS "seq" FROM "hook_delivery" d WHERE d."status" = 'pending' AND d."hook_seq" < $1
              UNION SELECT h."seq" FROM "hook" h WHERE NOT h."fanned_out" AND h."seq" < $1) candidates
             WHERE NOT EXISTS (SELECT 1 FROM "hook_delivery" x WHERE x."hook_seq" = candidates."seq" AND x."status" = 'dead')
             ORDER BY "seq" DESC LIMIT $2`,
  delivered: `SELECT h."seq" FROM "hook" h
               WHERE h."fanned_out" AND h."seq" < $1
                 AND NOT EXISTS (SELECT 1 FROM "hook_delivery" x WHERE x."hook_seq" = h."seq" AND x."status" <> 'delivered')
               ORDER BY h."seq" DESC LIMIT $2`,
};

/** The hooks of one event ($3), with the same status filters (an event causes a hook or two). */
const OF_EVENT_STATUS_SQL: Record<HookStatusFilter, string> = {
  all: '',
  dead: `AND EXISTS (SELECT 1 FROM "hook_delivery" x WHERE x."hook_seq" = h."seq" AND x."status" = 'dead')`,
  pending: `AND NOT EXISTS (SELECT 1 FROM "hook_delivery" x WHERE x."hook_seq" = h."seq" AND x."status" = 'dead')
            AND (NOT h."fanned_out" OR EXISTS (SELECT 1 FROM "hook_delivery" x WHERE x."hook_seq" = h."seq" AND x."status" = 'pending'))`,
  delivered: `AND h."fanned_out" AND NOT EXISTS (SELECT 1 FROM "hook_delivery" x WHERE x."hook_seq" = h."seq" AND x."status" <> 'delivered')`,
};
const OF_EVENT_SQL = (status: HookStatusFilter) =>
  `SELECT h."seq" FROM "hook" h WHERE h."event_id" = $3 AND h."seq" < $1 ${OF_EVENT_STATUS_SQL[status]} ORDER BY h."seq" DESC LIMIT $2`;

const WITH_DELIVERIES_SQL = `
  SELECT h."seq", h."id", h."type", h."event_id", h."ordering_key", h."created_at", h."fanned_out", h."payload",
         coalesce(json_agg(json_build_object(
           'subscriber', d."subscriber", 'status', d."status", 'attempts', d."attempts",
           'next_attempt_at', d."next_attempt_at", 'last_attempt_at', d."last_attempt_at",
           'last_error', d."last_error", 'delivered_at', d."delivered_at") ORDER BY d."subscriber")
           FILTER (WHERE d."hook_seq" IS NOT NULL), '[]') AS "deliveries"
    FROM "hook" h LEFT JOIN "hook_delivery" d ON d."hook_seq" = h."seq"
   WHERE h."seq" = ANY($1::bigint[])
   GROUP BY h."seq"
   ORDER BY h."seq" DESC`;

/** The outbox (`hook`) and its deliveries (`hook_delivery`): the dispatcher's work and the admin's view of it. */
@Injectable()
export class HookRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether a hook waits to be fanned out (a cheap look at a partial index). */
  async hasUnfannedHooks(): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM "hook" WHERE NOT "fanned_out" LIMIT 1`);
    return rows.length > 0;
  }

  /**
   * Creates the delivery rows of up to `batch` hooks not yet fanned out, in hook order, one per
   * subscriber that takes the hook's type, and marks the hooks; one instance at a time.
   * Returns the hooks fanned out.
   */
  fanOut(subscribers: { name: string; types: readonly string[] }[], batch: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [FAN_OUT_LOCK_ID]);
      const [, fannedOut]: [unknown[], number] = await manager.query(
        `WITH waiting AS (
           SELECT "seq", "type", "ordering_key" FROM "hook" WHERE NOT "fanned_out" ORDER BY "seq" LIMIT $2),
         deliveries AS (
           INSERT INTO "hook_delivery" ("hook_seq", "subscriber", "ordering_key")
           SELECT w."seq", s."name", w."ordering_key"
             FROM waiting w JOIN jsonb_to_recordset($1::jsonb) AS s("name" text, "types" text[]) ON w."type" = ANY(s."types")
            ORDER BY w."seq"
           ON CONFLICT DO NOTHING)
         UPDATE "hook" h SET "fanned_out" = true FROM waiting w WHERE h."seq" = w."seq" RETURNING h."seq"`,
        [JSON.stringify(subscribers.map(({ name, types }) => ({ name, types }))), batch],
      );
      return fannedOut;
    });
  }

  /**
   * Leases up to `batch` due deliveries of these subscribers for `leaseMs`, at most one per
   * subscriber and ordering key (FOR UPDATE SKIP LOCKED: instances never claim the same one).
   */
  async claim(subscribers: string[], batch: number, leaseMs: number, claimToken: string): Promise<ClaimedDelivery[]> {
    const [rows]: [ClaimedDelivery[], number] = await this.dataSource.query(
      `WITH due AS (
         SELECT d."hook_seq", d."subscriber" FROM "hook_delivery" d
          WHERE d."status" = 'pending' AND d."next_attempt_at" <= now() AND d."subscriber" = ANY($1::text[])
            AND (d."claimed_until" IS NULL OR d."claimed_until" <= now())
            AND NOT EXISTS (
              SELECT 1 FROM "hook_delivery" e
               WHERE e."status" = 'pending' AND e."subscriber" = d."subscriber"
                 AND ${textPrefixEquals('e."ordering_key"', 'd."ordering_key"')} AND e."hook_seq" < d."hook_seq")
          ORDER BY d."next_attempt_at", d."hook_seq"
          LIMIT $2
          FOR UPDATE OF d SKIP LOCKED)
       UPDATE "hook_delivery" d
          SET "claimed_until" = now() + $3 * interval '1 millisecond', "claim_token" = $4,
              "attempts" = d."attempts" + 1, "last_attempt_at" = now()
         FROM due JOIN "hook" h ON h."seq" = due."hook_seq"
        WHERE d."hook_seq" = due."hook_seq" AND d."subscriber" = due."subscriber"
        RETURNING d."hook_seq", d."subscriber", d."attempts", d."claim_token", h."id", h."type", h."event_id", h."created_at", h."payload"`,
      [subscribers, batch, leaseMs, claimToken],
    );
    return rows;
  }

  /** Writes the outcomes of the deliveries leased with `claimToken` and ends their lease (a lost lease writes nothing). */
  async record(outcomes: DeliveryOutcome[], claimToken: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "hook_delivery" d
          SET "status" = o."status",
              "delivered_at" = CASE WHEN o."status" = 'delivered' THEN now() END,
              "next_attempt_at" = CASE WHEN o."retry_in_ms" IS NULL THEN d."next_attempt_at"
                                       ELSE now() + o."retry_in_ms" * interval '1 millisecond' END,
              "last_error" = coalesce(o."error", d."last_error"),
              "claimed_until" = NULL, "claim_token" = NULL
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::integer[])
              AS o("hook_seq", "subscriber", "status", "error", "retry_in_ms")
        WHERE d."hook_seq" = o."hook_seq" AND d."subscriber" = o."subscriber" AND d."claim_token" = $6`,
      [
        outcomes.map((outcome) => outcome.hookSeq),
        outcomes.map((outcome) => outcome.subscriber),
        outcomes.map((outcome) => outcome.status),
        outcomes.map((outcome) => outcome.error),
        outcomes.map((outcome) => outcome.retryInMs),
        claimToken,
      ],
    );
  }

  /** The non-empty images of these events, with their bytes when `withData`. */
  imagesOf(eventIds: string[], withData: boolean): Promise<(HookImageRow & { event_id: string })[]> {
    return this.dataSource.query(
      `SELECT "event_id", "kind", "content_type", "byte_size"${withData ? ', "data"' : ''}
         FROM "history_event_image" WHERE "event_id" = ANY($1::bigint[]) AND "byte_size" > 0`,
      [eventIds],
    );
  }

  /** Seqs of a page of hooks before `before`, newest first, `limit` at most, of one event when `eventId` is given. */
  async pageSeqs(status: HookStatusFilter, before: string, limit: number, eventId?: string): Promise<string[]> {
    const rows: { seq: string }[] =
      eventId === undefined
        ? await this.dataSource.query(PAGE_SQL[status], [before, limit])
        : await this.dataSource.query(OF_EVENT_SQL(status), [before, limit, eventId]);
    return rows.map((row) => row.seq);
  }

  async findSeq(id: string): Promise<string | null> {
    const [hook]: { seq: string }[] = await this.dataSource.query(`SELECT "seq" FROM "hook" WHERE "id" = $1`, [id]);
    return hook?.seq ?? null;
  }

  /** Makes the hook's dead deliveries pending again, with a fresh retry schedule, due now. Returns how many. */
  async reviveDead(seq: string): Promise<number> {
    const [, revived]: [unknown[], number] = await this.dataSource.query(
      `UPDATE "hook_delivery" SET "status" = 'pending', "attempts" = 0, "next_attempt_at" = now(),
              "claimed_until" = NULL, "claim_token" = NULL
        WHERE "hook_seq" = $1 AND "status" = 'dead'`,
      [seq],
    );
    return revived;
  }

  /** The hooks with these seqs and their deliveries, newest first. */
  withDeliveries(seqs: string[]): Promise<HookWithDeliveriesRow[]> {
    if (seqs.length === 0) return Promise.resolve([]);
    return this.dataSource.query(WITH_DELIVERIES_SQL, [seqs]);
  }

  /**
   * Each count reads only its part of an index (hook_awaiting_fan_out, hook_delivery_due,
   * hook_delivery_by_status): it costs what the backlog is, not what the history is.
   */
  async backlog(): Promise<HookBacklog> {
    const [row]: HookBacklog[] = await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM "hook" WHERE NOT "fanned_out") AS awaiting_fan_out,
              (SELECT count(*)::int FROM "hook_delivery" WHERE "status" = 'pending') AS pending,
              (SELECT count(*)::int FROM "hook_delivery" WHERE "status" = 'dead') AS dead`,
    );
    return row;
  }
}
