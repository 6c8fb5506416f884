import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityTarget, In, ObjectLiteral } from 'typeorm';
import { FieldError, FieldErrorsException } from '../common/error-response';
import { EnvironmentVariables, InvalidEventPolicy } from '../config/environment';
import { entityRowsSql, SqlParameters } from '../database/entity-rows-sql';
import { HookEntity } from '../hooks/entities/hook.entity';
import { HookOptions, toHookEntities } from '../hooks/hook.mapper';
import { StoredEventsNotifier } from '../live/stored-events.notifier';
import { EventResult, MetricsService } from '../metrics/metrics.service';
import { HistoryEventExtDataEntity } from './entities/history-event-ext-data.entity';
import { HistoryEventFiqaEntity } from './entities/history-event-fiqa.entity';
import { HistoryEventImageEntity } from './entities/history-event-image.entity';
import { HistoryEventEntity } from './entities/history-event.entity';
import { QuarantinedEventEntity, UploadFormat } from './entities/quarantined-event.entity';
import {
  Receipt,
  toHistoryEventDetails,
  toHistoryEventEntity,
  toQuarantinedEventEntity,
} from './history-event.mapper';
import { DEFAULT_PERSON_TYPE, PERSON_TYPES } from './dto/history-event.dto';
import { isPlainObject, ParseLimits, ParsedHistoryEvent, parseHistoryEvent } from './history-event.parser';

export type IngestResult =
  | { result: 'stored' | 'duplicate'; id: string }
  | { result: 'quarantined'; id: string; errors: FieldError[] };

/** The events of one request, in request order. */
export interface Upload {
  events: unknown[];
  /** The body was an array: errors are then prefixed with the event's index. */
  batch: boolean;
  format: UploadFormat;
  receivedFrom: string | null;
}

/** A row to write, with the key that finds it again: the dedup key of an event, the payload key of a quarantined one. */
interface Keyed<T> {
  key: Buffer;
  row: T;
}

type Written = Map<string, { id: string; kind: 'event' | 'quarantine' }>;

const hex = (key: Buffer) => key.toString('hex');

/**
 * Stores the events of an upload: valid ones exactly once (a replay is answered with the id of
 * the stored original) with the hooks they cause, invalid ones in quarantine or refused, as
 * INVALID_EVENT_POLICY says.
 * Everything is written by one SQL statement (one round trip, atomic without a transaction
 * block), and the answer is given only after it commits.
 */
@Injectable()
export class HistoryEventIngestService {
  private readonly limits: ParseLimits;
  private readonly policy: InvalidEventPolicy;
  private readonly hookOptions: HookOptions;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
    private readonly notifier: StoredEventsNotifier,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.limits = {
      imageMaxBytes: config.get('IMAGE_MAX_BYTES', { infer: true }),
      maxDepth: config.get('JSON_MAX_DEPTH', { infer: true }),
    };
    this.policy = config.get('INVALID_EVENT_POLICY', { infer: true });
    this.hookOptions = { eventStored: config.get('HOOK_EVENT_STORED', { infer: true }) };
  }

  async ingest(upload: Upload): Promise<IngestResult[]> {
    const outcomes = upload.events.map((raw) => parseHistoryEvent(raw, this.limits));
    const invalidCount = outcomes.filter((outcome) => !outcome.valid).length;
    if (invalidCount > 0 && this.policy === InvalidEventPolicy.Reject) {
      for (const raw of upload.events) this.countEvent('rejected', raw);
      throw new FieldErrorsException(
        `${invalidCount} of ${upload.events.length} events failed validation; nothing was stored`,
        outcomes.flatMap((outcome, index) =>
          outcome.valid
            ? []
            : outcome.errors.map((error) => (upload.batch ? { ...error, field: prefixed(index, error.field) } : error)),
        ),
      );
    }

    const receipt: Receipt = { receivedAt: new Date(), receivedFrom: upload.receivedFrom };
    const keyed = outcomes.map((outcome, index) =>
      outcome.valid
        ? { valid: true as const, event: outcome.event, ...keyedRow(toHistoryEventEntity(outcome.event, receipt), 'dedupKey') }
        : {
            valid: false as const,
            errors: outcome.errors,
            ...keyedRow(toQuarantinedEventEntity(upload.events[index], outcome.errors, upload.format, receipt), 'payloadKey'),
          },
    );
    // Copies of one event within an upload are written once; the later ones are its duplicates.
    const firstCopies = new Map<string, (typeof keyed)[number]>();
    for (const entry of keyed) if (!firstCopies.has(hex(entry.key))) firstCopies.set(hex(entry.key), entry);
    const written = await this.write(
      [...firstCopies.values()].filter((entry) => entry.valid),
      [...firstCopies.values()].filter((entry) => !entry.valid),
    );

    const missing = keyed.filter((entry) => !written.has(hex(entry.key)));
    const earlier = await this.findWritten(
      missing.filter((entry) => entry.valid).map((entry) => entry.key),
      missing.filter((entry) => !entry.valid).map((entry) => entry.key),
    );
    const claimed = new Set<string>();
    const results = keyed.map((entry): IngestResult => {
      const key = hex(entry.key);
      const id = written.get(key)?.id ?? earlier.get(key);
      // Only between the conflict and the lookup could the original vanish (retention): the box retries.
      if (id === undefined) throw new ServiceUnavailableException('the event changed while it was stored; retry');
      if (!entry.valid) return { id, result: 'quarantined', errors: entry.errors };
      const first = written.has(key) && !claimed.has(key);
      claimed.add(key);
      return { id, result: first ? 'stored' : 'duplicate' };
    });
    results.forEach((result, index) => this.countEvent(result.result, upload.events[index]));
    this.notifier.committed(
      [...written.values()].filter((row) => row.kind === 'event').map((row) => row.id),
      [...written.values()].filter((row) => row.kind === 'quarantine').map((row) => row.id),
    );
    return results;
  }

  /** Counts an event in the metrics, with its device and person type when it has readable ones. */
  private countEvent(result: EventResult, raw: unknown): void {
    const extData = isPlainObject(raw) && isPlainObject(raw.ext_data) ? raw.ext_data : {};
    const personType = extData.person_type === undefined ? DEFAULT_PERSON_TYPE : extData.person_type;
    this.metrics.countEvent(
      result,
      typeof extData.device_type === 'string' ? extData.device_type : undefined,
      typeof personType === 'number' && (PERSON_TYPES as readonly number[]).includes(personType) ? personType : undefined,
    );
  }

  /**
   * One statement: the events (skipping those stored before), the rows of the events it did
   * insert, joined on their dedup keys (ext_data, FIQA, images, and the hooks they cause), and
   * the quarantined events. Returns what it inserted.
   */
  private async write(
    events: (Keyed<HistoryEventEntity> & { event: ParsedHistoryEvent })[],
    quarantined: Keyed<QuarantinedEventEntity>[],
  ): Promise<Written> {
    const params = new SqlParameters();
    const tables: string[] = [];
    const inserted: string[] = [];
    if (events.length > 0) {
      const rows = entityRowsSql(this.dataSource, HistoryEventEntity, events.map((entry) => entry.row), params);
      tables.push(
        `stored AS (INSERT INTO ${rows.table} (${rows.columns.join(', ')}) VALUES ${tuples(rows.rows)}
           ON CONFLICT ("dedup_key") DO NOTHING RETURNING "id", "dedup_key")`,
      );
      inserted.push(`SELECT 'event' AS kind, "id", "dedup_key" AS key FROM stored`);
      const details = events.map((entry) => ({ key: entry.key, ...toHistoryEventDetails(entry.event) }));
      tables.push(
        this.detailsSql('ext_data', HistoryEventExtDataEntity, details.map(({ key, extData }) => ({ key, row: extData })), params),
        this.detailsSql('fiqa', HistoryEventFiqaEntity, details.flatMap(({ key, fiqa }) => fiqa.map((row) => ({ key, row }))), params),
      );
      const images = details.flatMap(({ key, images }) => images.map((row) => ({ key, row })));
      if (images.length > 0) tables.push(this.detailsSql('images', HistoryEventImageEntity, images, params));
      const hooks = events.flatMap((entry) =>
        toHookEntities(entry.event, entry.row.receivedAt, this.hookOptions).map((row) => ({ key: entry.key, row })),
      );
      if (hooks.length > 0) tables.push(this.detailsSql('hooks', HookEntity, hooks, params));
    }
    if (quarantined.length > 0) {
      const rows = entityRowsSql(this.dataSource, QuarantinedEventEntity, quarantined.map((entry) => entry.row), params);
      tables.push(
        `quarantined AS (INSERT INTO ${rows.table} (${rows.columns.join(', ')}) VALUES ${tuples(rows.rows)}
           ON CONFLICT ("payload_key") DO NOTHING RETURNING "id", "payload_key")`,
      );
      inserted.push(`SELECT 'quarantine' AS kind, "id", "payload_key" AS key FROM quarantined`);
    }
    const result: { kind: 'event' | 'quarantine'; id: string; key: Buffer }[] = await this.dataSource.query(
      `WITH ${tables.join(',\n')}\n${inserted.join(' UNION ALL ')}`,
      params.values,
    );
    return new Map(result.map((row) => [hex(row.key), { id: row.id, kind: row.kind }]));
  }

  /** Inserts rows that belong to events, for the events the statement inserted (found by dedup key). */
  private detailsSql<T extends ObjectLiteral>(
    name: string,
    entity: EntityTarget<T>,
    rows: Keyed<T>[],
    params: SqlParameters,
  ): string {
    const sql = entityRowsSql(this.dataSource, entity, rows.map((entry) => entry.row), params, ['eventId']);
    const values = sql.rows.map((row, index) => [params.add(rows[index].key, 'bytea'), ...row]);
    return `${name} AS (INSERT INTO ${sql.table} ("event_id", ${sql.columns.join(', ')})
      SELECT stored."id", ${sql.columns.map((column) => `v.${column}`).join(', ')}
        FROM (VALUES ${tuples(values)}) AS v("dedup_key", ${sql.columns.join(', ')}) JOIN stored USING ("dedup_key"))`;
  }

  /** Ids of events and quarantined events written by earlier uploads. */
  private async findWritten(eventKeys: Buffer[], quarantineKeys: Buffer[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (eventKeys.length > 0) {
      const events = await this.dataSource.getRepository(HistoryEventEntity).find({
        select: { id: true, dedupKey: true },
        where: { dedupKey: In(eventKeys) },
      });
      for (const event of events) found.set(hex(event.dedupKey), event.id);
    }
    if (quarantineKeys.length > 0) {
      const rows = await this.dataSource.getRepository(QuarantinedEventEntity).find({
        select: { id: true, payloadKey: true },
        where: { payloadKey: In(quarantineKeys) },
      });
      for (const row of rows) found.set(hex(row.payloadKey), row.id);
    }
    return found;
  }
}

function keyedRow<T, K extends keyof T>(row: T, keyProperty: K): Keyed<T> {
  return { key: row[keyProperty] as Buffer, row };
}

function tuples(rows: string[][]): string {
  return rows.map((row) => `(${row.join(', ')})`).join(', ');
}

function prefixed(index: number, field: string): string {
  return field ? `[${index}].${field}` : `[${index}]`;
}
