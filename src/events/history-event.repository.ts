import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityTarget, In, ObjectLiteral } from 'typeorm';
import { entityRowGroupsSql, entityRowsSql, SqlParameters, tuples } from '../database/entity-rows-sql';
import { EventConflictEntity } from './entities/event-conflict.entity';
import { HistoryEventExtDataEntity } from './entities/history-event-ext-data.entity';
import { HistoryEventFiqaEntity } from './entities/history-event-fiqa.entity';
import { HistoryEventImageEntity } from './entities/history-event-image.entity';
import { HistoryEventEntity } from './entities/history-event.entity';
import { HookEntity } from './entities/hook.entity';
import { QuarantinedEventEntity } from './entities/quarantined-event.entity';
import type { StoredHistoryEvent } from './history-event.mapper';

/** A row to write, with the key that finds it again: the dedup key of an event, the payload key of a quarantined one. */
export interface Keyed<T> {
  key: Buffer;
  row: T;
}

/** A new event and every row that belongs to it, keyed by its dedup key. */
export interface NewEventRows {
  key: Buffer;
  event: HistoryEventEntity;
  extData: HistoryEventExtDataEntity;
  fiqa: HistoryEventFiqaEntity[];
  images: HistoryEventImageEntity[];
  /** The hooks it causes (the outbox). */
  hooks: HookEntity[];
}

/** A row the write inserted: an event (by dedup key) or a quarantined event (by payload key). */
export interface WrittenRow {
  kind: 'event' | 'quarantine';
  id: string;
  key: Buffer;
}

/** The keys of a stored event; `content_key` is null for events stored before content keys existed. */
export interface StoredEventKeys {
  id: string;
  dedup_key: Buffer;
  content_key: Buffer | null;
}

/** A kept conflicting copy, by the stored event and the copy's content key. */
export interface ConflictKeys {
  id: string;
  event_id: string;
  content_key: Buffer;
}

/**
 * PostgreSQL's ceiling on the parameters of one statement (the protocol counts them in 16 bits).
 * A write that would pass it is split into statements of whole events.
 */
export const MAX_PARAMETERS = 65_535;

/**
 * The SQL of the upload path: the write of new and quarantined events (one statement, one round
 * trip), and the lookups of what an upload finds stored already (replays, conflicting copies,
 * quarantined copies).
 */
@Injectable()
export class HistoryEventRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts the events (skipping those stored before, by dedup key), the rows of the events it
   * did insert, joined on their dedup keys (ext_data, FIQA, images, and the hooks they cause),
   * and the quarantined events (skipping those kept before, by payload key). Returns what it
   * inserted. One statement, atomic without a transaction block, unless the rows need more than
   * MAX_PARAMETERS: then one statement per group of whole events, each atomic on its own (a
   * failure in between stores some of them; the box's retry finds them stored).
   */
  async insertNew(events: NewEventRows[], quarantined: Keyed<QuarantinedEventEntity>[]): Promise<WrittenRow[]> {
    const written: WrittenRow[] = [];
    for (const statement of this.newRowsStatements(events, quarantined)) {
      written.push(...(await this.dataSource.query<WrittenRow[]>(statement.sql, statement.params.values)));
    }
    return written;
  }

  /**
   * The statements `insertNew` sends: one, unless it would pass MAX_PARAMETERS; then the events
   * (and the quarantined events) are halved until each statement fits.
   */
  newRowsStatements(events: NewEventRows[], quarantined: Keyed<QuarantinedEventEntity>[]): { sql: string; params: SqlParameters }[] {
    if (events.length === 0 && quarantined.length === 0) return [];
    const statement = this.newRowsSql(events, quarantined);
    if (statement.params.values.length <= MAX_PARAMETERS) return [statement];
    if (events.length + quarantined.length === 1) {
      throw new Error(`one event needs ${statement.params.values.length} parameters, more than PostgreSQL takes in a statement`);
    }
    const half = (list: unknown[]) => Math.ceil(list.length / 2);
    return [
      ...this.newRowsStatements(events.slice(0, half(events)), quarantined.slice(0, half(quarantined))),
      ...this.newRowsStatements(events.slice(half(events)), quarantined.slice(half(quarantined))),
    ];
  }

  private newRowsSql(events: NewEventRows[], quarantined: Keyed<QuarantinedEventEntity>[]): { sql: string; params: SqlParameters } {
    const params = new SqlParameters();
    const tables: string[] = [];
    const inserted: string[] = [];
    if (events.length > 0) {
      const rows = entityRowsSql(
        this.dataSource,
        HistoryEventEntity,
        events.map((entry) => entry.event),
        params,
      );
      tables.push(
        `stored AS (INSERT INTO ${rows.table} (${rows.columns.join(', ')}) VALUES ${tuples(rows.rows)}
           ON CONFLICT ("dedup_key") DO NOTHING RETURNING "id", "dedup_key")`,
      );
      inserted.push(`SELECT 'event' AS kind, "id", "dedup_key" AS key FROM stored`);
      const details = <T extends ObjectLiteral>(name: string, entity: EntityTarget<T>, rowsOf: (entry: NewEventRows) => T[]) =>
        this.detailsSql(
          name,
          entity,
          events.flatMap((entry) => rowsOf(entry).map((row) => ({ key: entry.key, row }))),
          params,
        );
      tables.push(
        ...details('ext_data', HistoryEventExtDataEntity, (entry) => [entry.extData]),
        ...details('fiqa', HistoryEventFiqaEntity, (entry) => entry.fiqa),
        ...details('images', HistoryEventImageEntity, (entry) => entry.images),
        ...details('hooks', HookEntity, (entry) => entry.hooks),
      );
    }
    if (quarantined.length > 0) {
      const rows = entityRowsSql(
        this.dataSource,
        QuarantinedEventEntity,
        quarantined.map((entry) => entry.row),
        params,
      );
      tables.push(
        `quarantined AS (INSERT INTO ${rows.table} (${rows.columns.join(', ')}) VALUES ${tuples(rows.rows)}
           ON CONFLICT ("payload_key") DO NOTHING RETURNING "id", "payload_key")`,
      );
      inserted.push(`SELECT 'quarantine' AS kind, "id", "payload_key" AS key FROM quarantined`);
    }
    return { sql: `WITH ${tables.join(',\n')}\n${inserted.join(' UNION ALL ')}`, params };
  }

  /**
   * Inserts rows that belong to events, for the events the statement inserted (found by dedup
   * key). Rows are grouped by the columns they set: a column left unset takes its default, which
   * a row of VALUES under a SELECT cannot ask for, so each group names only the columns it sets.
   */
  private detailsSql<T extends ObjectLiteral>(name: string, entity: EntityTarget<T>, rows: Keyed<T>[], params: SqlParameters): string[] {
    if (rows.length === 0) return [];
    const groups = entityRowGroupsSql(
      this.dataSource,
      entity,
      rows.map((entry) => entry.row),
      params,
      ['eventId'],
    );
    return groups.map((group, index) => {
      const values = group.rows.map((row, rowIndex) => [params.add(rows[group.indexes[rowIndex]].key, 'bytea'), ...row]);
      return `${name}${groups.length > 1 ? `_${index}` : ''} AS (INSERT INTO ${group.table} ("event_id", ${group.columns.join(', ')})
      SELECT stored."id", ${group.columns.map((column) => `v.${column}`).join(', ')}
        FROM (VALUES ${tuples(values)}) AS v("dedup_key", ${group.columns.join(', ')}) JOIN stored USING ("dedup_key"))`;
    });
  }

  /** The stored events with these dedup keys. */
  findKeysByDedupKeys(keys: Buffer[]): Promise<StoredEventKeys[]> {
    return this.dataSource.query(`SELECT "id", "dedup_key", "content_key" FROM "history_event" WHERE "dedup_key" = ANY($1::bytea[])`, [
      keys,
    ]);
  }

  /** Writes content keys worked out for events stored before content keys existed. */
  async setContentKeys(keys: Map<string, Buffer>): Promise<void> {
    await this.dataSource.query(
      `UPDATE "history_event" e SET "content_key" = v."key"
         FROM unnest($1::bigint[], $2::bytea[]) AS v("id", "key")
        WHERE e."id" = v."id" AND e."content_key" IS NULL`,
      [[...keys.keys()], [...keys.values()]],
    );
  }

  /** Stored events with their ext_data and FIQA rows, and their images without the bytes (digests only). */
  async findWithImageDigests(ids: string[]): Promise<StoredHistoryEvent[]> {
    if (ids.length === 0) return [];
    const events = await this.dataSource
      .getRepository(HistoryEventEntity)
      .createQueryBuilder('e')
      .innerJoinAndSelect('e.extData', 'x')
      .leftJoinAndSelect('e.fiqa', 'f')
      .leftJoin('e.images', 'i')
      .addSelect(['i.eventId', 'i.kind', 'i.byteSize', 'i.sha256', 'i.dataUrlPrefix'])
      .where('e.id IN (:...ids)', { ids })
      .getMany();
    return events as StoredHistoryEvent[];
  }

  /**
   * Inserts the conflicting copies not kept before; returns every row of `rows`, inserted now or
   * earlier. A foreign key violation means the stored event went (retention) since it was read.
   */
  async insertConflicts(rows: EventConflictEntity[]): Promise<ConflictKeys[]> {
    const params = new SqlParameters();
    const sql = entityRowsSql(this.dataSource, EventConflictEntity, rows, params);
    const inserted: ConflictKeys[] = await this.dataSource.query(
      `INSERT INTO ${sql.table} (${sql.columns.join(', ')}) VALUES ${tuples(sql.rows)}
       ON CONFLICT ("event_id", "content_key") DO NOTHING RETURNING "id", "event_id", "content_key"`,
      params.values,
    );
    const found = new Set(inserted.map((row) => `${row.event_id}:${row.content_key.toString('hex')}`));
    const missing = rows.filter((row) => !found.has(`${row.eventId}:${row.contentKey.toString('hex')}`));
    if (missing.length === 0) return inserted;
    const earlier: ConflictKeys[] = await this.dataSource.query(
      `SELECT c."id", c."event_id", c."content_key" FROM "event_conflict" c
         JOIN unnest($1::bigint[], $2::bytea[]) AS v("event_id", "content_key") USING ("event_id", "content_key")`,
      [missing.map((row) => row.eventId), missing.map((row) => row.contentKey)],
    );
    return [...inserted, ...earlier];
  }

  /** Quarantined events kept by earlier uploads, by payload key. */
  findQuarantinedByPayloadKeys(keys: Buffer[]): Promise<Pick<QuarantinedEventEntity, 'id' | 'payloadKey'>[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(QuarantinedEventEntity).find({
      select: { id: true, payloadKey: true },
      where: { payloadKey: In(keys) },
    });
  }

  /** Sends one NOTIFY (outside any upload's transaction). */
  async notify(channel: string, payload: string): Promise<void> {
    await this.dataSource.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }
}
