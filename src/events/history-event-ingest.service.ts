import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { FieldError, FieldErrorsException } from '../common/error-response';
import { HookSettings } from '../config/hook.settings';
import { IntakeSettings, InvalidEventPolicy } from '../config/intake.settings';
import { HookOptions, toHookEntities } from './hook.mapper';
import { StoredEventsNotifier } from './stored-events.notifier';
import { EventResult, MetricsService } from '../metrics/metrics.service';
import { EventConflictEntity } from './entities/event-conflict.entity';
import { HistoryEventEntity } from './entities/history-event.entity';
import { QuarantinedEventEntity, UploadFormat } from './entities/quarantined-event.entity';
import { HistoryEventRepository, Keyed } from './history-event.repository';
import { contentKeyOf } from './event-content';
import {
  comparableStored,
  comparableUpload,
  Receipt,
  toEventConflictEntity,
  toHistoryEventDetails,
  toHistoryEventEntity,
  toQuarantinedEventEntity,
} from './history-event.mapper';
import { DEFAULT_PERSON_TYPE, PERSON_TYPES } from './dto/history-event.dto';
import { isPlainObject, ParseLimits, ParsedHistoryEvent, parseHistoryEvent } from './history-event.parser';

export type IngestResult =
  | { result: 'stored' | 'duplicate'; id: string }
  | { result: 'conflict'; id: string; conflict_id: string; differences: string[] }
  | { result: 'quarantined'; id: string; errors: FieldError[] };

/** The events of one request, in request order. */
export interface Upload {
  events: unknown[];
  /** The body was an array: errors are then prefixed with the event's index. */
  batch: boolean;
  format: UploadFormat;
  receivedFrom: string | null;
  /** Per event, its bytes as received when they are not valid UTF-8 (JSON bodies only). */
  undecodable?: (Buffer | undefined)[];
}

type Written = Map<string, { id: string; kind: 'event' | 'quarantine' }>;

/** The stored event a dedup key stands for: its content key, and the upload's copy when this upload stored it. */
interface StoredEvent {
  id: string;
  contentKey: Buffer | null;
  upload?: ParsedHistoryEvent;
}

type ValidEntry = Keyed<HistoryEventEntity> & { event: ParsedHistoryEvent; index: number };

/** Copies of stored events that differ from them, to keep: one row per distinct copy of an event. */
interface ConflictingCopy {
  stored: StoredEvent;
  entry: ValidEntry;
}

const hex = (key: Buffer) => key.toString('hex');
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Stores the events of an upload: valid ones exactly once (a replay is answered with the id of
 * the stored original) with the hooks they cause, invalid ones in quarantine or refused, as
 * INVALID_EVENT_POLICY says. A copy with the dedup key of a stored event but other content is
 * kept as a conflict (no hook), never dropped.
 * New events and quarantined ones are written by one SQL statement (one round trip, atomic
 * without a transaction block: HistoryEventRepository.insertNew); replays cost a lookup,
 * conflicts a few statements more. The answer is given only after everything is committed.
 */
@Injectable()
export class HistoryEventIngestService {
  private readonly limits: ParseLimits;
  private readonly policy: InvalidEventPolicy;
  private readonly hookOptions: HookOptions;

  constructor(
    private readonly repository: HistoryEventRepository,
    private readonly metrics: MetricsService,
    private readonly notifier: StoredEventsNotifier,
    intake: IntakeSettings,
    hooks: HookSettings,
  ) {
    this.limits = { imageMaxBytes: intake.imageMaxBytes, maxDepth: intake.jsonMaxDepth };
    this.policy = intake.invalidEventPolicy;
    this.hookOptions = { eventStored: hooks.eventStored };
  }

  async ingest(upload: Upload): Promise<IngestResult[]> {
    const outcomes = upload.events.map((raw, index) => parseHistoryEvent(raw, this.limits, upload.undecodable?.[index] !== undefined));
    const invalidCount = outcomes.filter((outcome) => !outcome.valid).length;
    if (invalidCount > 0 && this.policy === InvalidEventPolicy.Reject) {
      for (const raw of upload.events) this.countEvent('rejected', raw);
      throw new FieldErrorsException(
        `${invalidCount} of ${upload.events.length} events failed validation; nothing was stored`,
        outcomes.flatMap((outcome, index) =>
          outcome.valid ? [] : outcome.errors.map((error) => (upload.batch ? { ...error, field: prefixed(index, error.field) } : error)),
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
            ...keyedRow(
              toQuarantinedEventEntity(upload.events[index], outcome.errors, upload.format, receipt, upload.undecodable?.[index]),
              'payloadKey',
            ),
          },
    );
    // Copies of one event within an upload are written once; the later ones are compared with it.
    const firstCopies = new Map<string, (typeof keyed)[number]>();
    for (const entry of keyed) if (!firstCopies.has(hex(entry.key))) firstCopies.set(hex(entry.key), entry);
    const written = await this.write(
      [...firstCopies.values()].filter((entry) => entry.valid),
      [...firstCopies.values()].filter((entry) => !entry.valid),
    );

    const valid: ValidEntry[] = keyed.flatMap((entry, index) => (entry.valid ? [{ ...entry, index }] : []));
    const storedEvents = await this.storedEventsOf(valid, written);
    const quarantined = await this.findQuarantined(
      keyed.filter((entry) => !entry.valid && !written.has(hex(entry.key))).map((entry) => entry.key),
    );

    const results = new Array<IngestResult>(keyed.length);
    const conflicting: ConflictingCopy[] = [];
    const claimed = new Set<string>();
    keyed.forEach((entry, index) => {
      const key = hex(entry.key);
      if (!entry.valid) {
        const id = written.get(key)?.id ?? quarantined.get(key);
        if (id === undefined) throw vanished();
        results[index] = { id, result: 'quarantined', errors: entry.errors };
        return;
      }
      const stored = storedEvents.get(key);
      // Only between the conflict and the lookup could the original vanish (retention): the box retries.
      if (stored === undefined || stored.contentKey === null) throw vanished();
      if (written.has(key) && !claimed.has(key)) {
        claimed.add(key);
        results[index] = { id: stored.id, result: 'stored' };
      } else if (stored.contentKey.equals(entry.row.contentKey!)) {
        results[index] = { id: stored.id, result: 'duplicate' };
      } else {
        conflicting.push({ stored, entry: { ...entry, index } });
      }
    });
    for (const [index, result] of await this.keepConflicts(conflicting, upload.format, receipt)) results[index] = result;
    results.forEach((result, index) => this.countEvent(result.result, upload.events[index]));
    this.notifier.committed(
      [...written.values()].filter((row) => row.kind === 'event').map((row) => row.id),
      [...written.values()].filter((row) => row.kind === 'quarantine').map((row) => row.id),
    );
    return results;
  }

  /**
   * The stored event behind each valid entry's dedup key: the ones this upload stored, and the
   * ones stored earlier (one lookup), whose content key is worked out from the rows when they
   * were stored before content keys existed.
   */
  private async storedEventsOf(valid: ValidEntry[], written: Written): Promise<Map<string, StoredEvent>> {
    const found = new Map<string, StoredEvent>();
    for (const entry of valid) {
      const key = hex(entry.key);
      const inserted = written.get(key);
      if (inserted && !found.has(key)) found.set(key, { id: inserted.id, contentKey: entry.row.contentKey, upload: entry.event });
    }
    const earlier = [...new Set(valid.map((entry) => hex(entry.key)).filter((key) => !found.has(key)))];
    if (earlier.length === 0) return found;
    const rows = await this.repository.findKeysByDedupKeys(earlier.map((key) => Buffer.from(key, 'hex')));
    const withoutKey = rows.filter((row) => row.content_key === null);
    const computed = await this.backfillContentKeys(withoutKey.map((row) => row.id));
    for (const row of rows) found.set(hex(row.dedup_key), { id: row.id, contentKey: row.content_key ?? computed.get(row.id) ?? null });
    return found;
  }

  /** Content keys of events stored before content keys existed, from their rows; written back. */
  private async backfillContentKeys(ids: string[]): Promise<Map<string, Buffer>> {
    if (ids.length === 0) return new Map();
    const keys = new Map([...(await this.comparableStoredEvents(ids))].map(([id, comparable]) => [id, contentKeyOf(comparable)]));
    await this.repository.setContentKeys(keys);
    return keys;
  }

  /** Stored events as copies are compared on (images by digest, their bytes not read). */
  private async comparableStoredEvents(ids: string[]): Promise<Map<string, Record<string, unknown>>> {
    const events = await this.repository.findWithImageDigests(ids);
    return new Map(events.map((event) => [event.id, comparableStored(event)]));
  }

  /**
   * Keeps each distinct differing copy of a stored event once (a copy sent again finds its
   * row), with the fields that differ, and answers with its id. Its hook is withheld.
   */
  private async keepConflicts(conflicting: ConflictingCopy[], format: UploadFormat, receipt: Receipt): Promise<Map<number, IngestResult>> {
    const answers = new Map<number, IngestResult>();
    if (conflicting.length === 0) return answers;
    const storedComparables = await this.comparableStoredEvents([
      ...new Set(conflicting.filter(({ stored }) => !stored.upload).map(({ stored }) => stored.id)),
    ]);
    const copies = new Map<string, EventConflictEntity>();
    for (const { stored, entry } of conflicting) {
      const copyKey = `${stored.id}:${hex(entry.row.contentKey!)}`;
      if (copies.has(copyKey)) continue;
      const storedComparable = stored.upload ? comparableUpload(stored.upload) : storedComparables.get(stored.id);
      if (!storedComparable) throw vanished();
      copies.set(copyKey, toEventConflictEntity(stored.id, entry.event, storedComparable, format, receipt));
    }
    const ids = await this.writeConflicts([...copies.values()]);
    for (const { stored, entry } of conflicting) {
      const copy = copies.get(`${stored.id}:${hex(entry.row.contentKey!)}`)!;
      const conflictId = ids.get(`${stored.id}:${hex(copy.contentKey)}`);
      if (conflictId === undefined) throw vanished();
      answers.set(entry.index, {
        id: stored.id,
        result: 'conflict',
        conflict_id: conflictId,
        differences: copy.differences.map((difference) => difference.field),
      });
    }
    return answers;
  }

  /** Inserts the conflict rows not kept before; returns the id of each, by `<event id>:<content key>`. */
  private async writeConflicts(rows: EventConflictEntity[]): Promise<Map<string, string>> {
    try {
      const kept = await this.repository.insertConflicts(rows);
      return new Map(kept.map((row) => [`${row.event_id}:${hex(row.content_key)}`, row.id]));
    } catch (error) {
      // The stored event went (retention) between the lookup and this insert: the box retries.
      if ((error as { driverError?: { code?: string } }).driverError?.code === FOREIGN_KEY_VIOLATION) throw vanished();
      throw error;
    }
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

  /** Writes the new events with what they cause, and the quarantined events (HistoryEventRepository.insertNew). */
  private async write(
    events: (Keyed<HistoryEventEntity> & { event: ParsedHistoryEvent })[],
    quarantined: Keyed<QuarantinedEventEntity>[],
  ): Promise<Written> {
    const rows = events.map((entry) => ({
      key: entry.key,
      event: entry.row,
      ...toHistoryEventDetails(entry.event),
      hooks: toHookEntities(entry.event, entry.row.receivedAt, this.hookOptions),
    }));
    const written = await this.repository.insertNew(rows, quarantined);
    return new Map(written.map((row) => [hex(row.key), { id: row.id, kind: row.kind }]));
  }

  /** Ids of quarantined events written by earlier uploads, by payload key. */
  private async findQuarantined(keys: Buffer[]): Promise<Map<string, string>> {
    const rows = await this.repository.findQuarantinedByPayloadKeys(keys);
    return new Map(rows.map((row) => [hex(row.payloadKey), row.id]));
  }
}

function keyedRow<T, K extends keyof T>(row: T, keyProperty: K): Keyed<T> {
  return { key: row[keyProperty] as Buffer, row };
}

const vanished = () => new ServiceUnavailableException('the event changed while it was stored; retry');

function prefixed(index: number, field: string): string {
  return field ? `[${index}].${field}` : `[${index}]`;
}
