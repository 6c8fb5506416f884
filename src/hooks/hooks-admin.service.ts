import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { splitPage } from '../common/id-cursor';
import { HookDto, HookListQueryDto, HookPageDto, HookWithDeliveriesRow, mapHook } from './dto/hook.dto';
import { HookDispatcher } from './hook-dispatcher.service';

/**
 * Hook seqs of one page, and one more to know whether a next page follows, newest first, for
 * each status filter (each reads an index, not every hook).
 */
const PAGE_SQL: Record<'all' | 'pending' | 'delivered' | 'dead', string> = {
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
const OF_EVENT_STATUS_SQL: Record<'all' | 'pending' | 'delivered' | 'dead', string> = {
  all: '',
  dead: `AND EXISTS (SELECT 1 FROM "hook_delivery" x WHERE x."hook_seq" = h."seq" AND x."status" = 'dead')`,
  pending: `AND NOT EXISTS (SELECT 1 FROM "hook_delivery" x WHERE x."hook_seq" = h."seq" AND x."status" = 'dead')
            AND (NOT h."fanned_out" OR EXISTS (SELECT 1 FROM "hook_delivery" x WHERE x."hook_seq" = h."seq" AND x."status" = 'pending'))`,
  delivered: `AND h."fanned_out" AND NOT EXISTS (SELECT 1 FROM "hook_delivery" x WHERE x."hook_seq" = h."seq" AND x."status" <> 'delivered')`,
};
const OF_EVENT_SQL = (status: keyof typeof OF_EVENT_STATUS_SQL) =>
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

const MAX_SEQ = '9223372036854775807';

/** The admin's view of the outbox: hooks with their deliveries, and retrying dead ones. */
@Injectable()
export class HooksAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dispatcher: HookDispatcher,
  ) {}

  async list(query: HookListQueryDto): Promise<HookPageDto> {
    const before = query.decodedCursor() ?? MAX_SEQ;
    const status = query.status ?? 'all';
    const seqs: { seq: string }[] =
      query.event_id === undefined
        ? await this.dataSource.query(PAGE_SQL[status], [before, query.limit + 1])
        : await this.dataSource.query(OF_EVENT_SQL(status), [before, query.limit + 1, query.event_id]);
    const page = splitPage(seqs, query.limit, (row) => row.seq);
    const rows = await this.withDeliveries(page.rows.map((row) => row.seq));
    return { items: rows.map(mapHook), next_cursor: page.next_cursor };
  }

  /** Makes the hook's dead deliveries pending again, with a fresh retry schedule, due now. */
  async retry(id: string): Promise<HookDto> {
    const [hook]: { seq: string }[] = await this.dataSource.query(`SELECT "seq" FROM "hook" WHERE "id" = $1`, [id]);
    if (!hook) throw new NotFoundException(`there is no hook ${id}`);
    const [, revived]: [unknown[], number] = await this.dataSource.query(
      `UPDATE "hook_delivery" SET "status" = 'pending', "attempts" = 0, "next_attempt_at" = now(),
              "claimed_until" = NULL, "claim_token" = NULL
        WHERE "hook_seq" = $1 AND "status" = 'dead'`,
      [hook.seq],
    );
    if (revived === 0) throw new ConflictException(`hook ${id} has no dead delivery to retry`);
    this.dispatcher.nudge();
    const [row] = await this.withDeliveries([hook.seq]);
    return mapHook(row);
  }

  private async withDeliveries(seqs: string[]): Promise<HookWithDeliveriesRow[]> {
    if (seqs.length === 0) return [];
    return this.dataSource.query(WITH_DELIVERIES_SQL, [seqs]);
  }
}
