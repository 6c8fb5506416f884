import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { FieldError, FieldErrorsException } from '../common/error-response';
import { EnvironmentVariables, InvalidEventPolicy } from '../config/environment';
import { HistoryEventExtDataEntity } from './entities/history-event-ext-data.entity';
import { HistoryEventFiqaEntity } from './entities/history-event-fiqa.entity';
import { HistoryEventImageEntity } from './entities/history-event-image.entity';
import { HistoryEventEntity } from './entities/history-event.entity';
import { QuarantinedEventEntity, UploadFormat } from './entities/quarantined-event.entity';
import { Receipt, toHistoryEventDetails, toHistoryEventEntity } from './history-event.mapper';
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

interface ValidItem {
  index: number;
  event: ParsedHistoryEvent;
}

interface InvalidItem {
  index: number;
  raw: unknown;
  errors: FieldError[];
}

const hex = (key: Buffer) => key.toString('hex');

/**
 * Stores the events of an upload in one transaction: valid ones exactly once (a replay is
 * answered with the id of the stored original), invalid ones in quarantine or refused, as
 * INVALID_EVENT_POLICY says. It returns only after the commit, so an acknowledged event is durable.
 */
@Injectable()
export class HistoryEventIngestService {
  private readonly limits: ParseLimits;
  private readonly policy: InvalidEventPolicy;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.limits = {
      imageMaxBytes: config.get('IMAGE_MAX_BYTES', { infer: true }),
      maxDepth: config.get('JSON_MAX_DEPTH', { infer: true }),
    };
    this.policy = config.get('INVALID_EVENT_POLICY', { infer: true });
  }

  async ingest(upload: Upload): Promise<IngestResult[]> {
    const valid: ValidItem[] = [];
    const invalid: InvalidItem[] = [];
    upload.events.forEach((raw, index) => {
      const outcome = parseHistoryEvent(raw, this.limits);
      if (outcome.valid) valid.push({ index, event: outcome.event });
      else invalid.push({ index, raw, errors: outcome.errors });
    });
    if (invalid.length > 0 && this.policy === InvalidEventPolicy.Reject) {
      throw new FieldErrorsException(
        `${invalid.length} of ${upload.events.length} events failed validation; nothing was stored`,
        invalid.flatMap(({ index, errors }) =>
          upload.batch ? errors.map((error) => ({ ...error, field: prefixed(index, error.field) })) : errors,
        ),
      );
    }

    const receipt: Receipt = { receivedAt: new Date(), receivedFrom: upload.receivedFrom };
    const results: IngestResult[] = new Array(upload.events.length);
    await this.dataSource.transaction(async (manager) => {
      await this.storeEvents(manager, valid, receipt, results);
      await this.quarantine(manager, invalid, upload.format, receipt, results);
    });
    return results;
  }

  private async storeEvents(manager: EntityManager, items: ValidItem[], receipt: Receipt, results: IngestResult[]) {
    if (items.length === 0) return;
    const events = items.map((item) => toHistoryEventEntity(item.event, receipt));
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(HistoryEventEntity)
      .values(events)
      .orIgnore()
      .returning('id, dedup_key')
      .updateEntity(false)
      .execute();
    const insertedIds = new Map<string, string>(
      (inserted.raw as { id: string; dedup_key: Buffer }[]).map((row) => [hex(row.dedup_key), row.id]),
    );
    const existingIds = await this.findStoredIds(
      manager,
      events.map((event) => event.dedupKey).filter((key) => !insertedIds.has(hex(key))),
    );

    const details = [];
    for (const [position, item] of items.entries()) {
      const key = hex(events[position].dedupKey);
      const id = insertedIds.get(key);
      if (id !== undefined) {
        // The first of several copies in one batch is stored; the others are its duplicates.
        insertedIds.delete(key);
        existingIds.set(key, id);
        results[item.index] = { id, result: 'stored' };
        details.push(toHistoryEventDetails(item.event, id));
      } else {
        results[item.index] = { id: existingIds.get(key)!, result: 'duplicate' };
      }
    }
    await this.insertRows(manager, HistoryEventExtDataEntity, details.map((detail) => detail.extData));
    await this.insertRows(manager, HistoryEventFiqaEntity, details.flatMap((detail) => detail.fiqa));
    await this.insertRows(manager, HistoryEventImageEntity, details.flatMap((detail) => detail.images));
  }

  private async findStoredIds(manager: EntityManager, keys: Buffer[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows = await manager.find(HistoryEventEntity, {
      select: { id: true, dedupKey: true },
      where: { dedupKey: In(keys) },
    });
    return new Map(rows.map((row) => [hex(row.dedupKey), row.id]));
  }

  private async insertRows<T extends object>(manager: EntityManager, entity: new () => T, rows: T[]) {
    if (rows.length === 0) return;
    await manager.createQueryBuilder().insert().into(entity).values(rows).updateEntity(false).execute();
  }

  private async quarantine(
    manager: EntityManager,
    items: InvalidItem[],
    format: UploadFormat,
    receipt: Receipt,
    results: IngestResult[],
  ) {
    if (items.length === 0) return;
    const rows = items.map((item) => {
      const row = new QuarantinedEventEntity();
      row.payload = JSON.stringify(item.raw) ?? 'null';
      row.payloadKey = createHash('sha256').update(row.payload).digest().subarray(0, 16);
      row.format = format;
      row.errors = item.errors;
      row.devSno = devSnoOf(item.raw);
      row.receivedAt = receipt.receivedAt;
      row.receivedFrom = receipt.receivedFrom;
      return row;
    });
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(QuarantinedEventEntity)
      .values(rows)
      .orIgnore()
      .returning('id, payload_key')
      .updateEntity(false)
      .execute();
    const ids = new Map<string, string>(
      (inserted.raw as { id: string; payload_key: Buffer }[]).map((row) => [hex(row.payload_key), row.id]),
    );
    const missing = rows.map((row) => row.payloadKey).filter((key) => !ids.has(hex(key)));
    if (missing.length > 0) {
      const existing = await manager.find(QuarantinedEventEntity, {
        select: { id: true, payloadKey: true },
        where: { payloadKey: In(missing) },
      });
      for (const row of existing) ids.set(hex(row.payloadKey), row.id);
    }
    items.forEach((item, position) => {
      results[item.index] = { id: ids.get(hex(rows[position].payloadKey))!, result: 'quarantined', errors: item.errors };
    });
  }
}

function prefixed(index: number, field: string): string {
  return field ? `[${index}].${field}` : `[${index}]`;
}

/** The box's dev_sno when it can be read and stored, to find a box's rejected events. */
function devSnoOf(raw: unknown): string | null {
  const extData = isPlainObject(raw) ? raw.ext_data : undefined;
  const devSno = isPlainObject(extData) ? extData.dev_sno : undefined;
  return typeof devSno === 'string' && devSno.length <= 256 && !devSno.includes('\u0000') && devSno.isWellFormed()
    ? devSno
    : null;
}
