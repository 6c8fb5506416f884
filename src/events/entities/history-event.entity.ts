import { Check, Column, Entity, Index, OneToMany, OneToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import type { JsonObject } from '../../common/json';
import { bigintAsNumber } from './column-transformers';
import { HistoryEventExtDataEntity } from './history-event-ext-data.entity';
import { HistoryEventFiqaEntity } from './history-event-fiqa.entity';
import { HistoryEventImageEntity } from './history-event-image.entity';

/** Extra keys the vendor adds over time, kept as they came. */
export type UnknownFields = JsonObject;

/**
 * One comparison event uploaded by a box: its top-level fields, and copies of the ext_data fields
 * the admin API filters on, so that each filter and the time order share one index.
 * Every listing walks (event_time, id): newest or oldest first, with the id breaking ties.
 */
@Entity('history_event')
@Check('history_event_want_action', `"want_action" IN ('0', '1001', '1002')`)
@Index('history_event_time', ['eventTime', 'id'])
// These three index left(column, 256), not the text, which can be longer than a btree entry
// (src/database/long-text.ts); the migrations create them.
@Index('history_event_dev_sno_time', { synchronize: false })
@Index('history_event_ep_id_time', { synchronize: false })
@Index('history_event_identity_id_time', { synchronize: false })
@Index('history_event_person_type_time', ['personType', 'eventTime', 'id'])
@Index('history_event_want_action_time', ['wantAction', 'eventTime', 'id'])
// A GIN trigram index (pg_trgm) for case-insensitive substring search on identity_name. TypeORM
// cannot express the operator class: the migration creates it, and the schema builder leaves it be.
@Index('history_event_identity_name_trgm', { synchronize: false })
export class HistoryEventEntity {
  /** int8 comes back from pg as a string, which is also how the API shows ids. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** First 16 bytes of sha256 over the fields that identify an event: replays collide here. */
  @Column({ name: 'dedup_key', type: 'bytea', unique: true })
  dedupKey: Buffer;

  /**
   * First 16 bytes of sha256 over the whole event as sent (images by their sha256): a later copy
   * with the same dedup key but other content is a conflict. Null for events stored before it
   * existed, until a copy arrives (it is then worked out from the rows).
   */
  @Column({ name: 'content_key', type: 'bytea', nullable: true })
  contentKey: Buffer | null;

  @Column({ name: 'identity_id', type: 'text' })
  identityId: string;

  @Column({ name: 'identity_name', type: 'text' })
  identityName: string;

  @Column({ name: 'group_name', type: 'text' })
  groupName: string;

  /** The box's `timestamp`, epoch milliseconds, exactly as sent. */
  @Column({ name: 'timestamp_ms', type: 'bigint', transformer: bigintAsNumber })
  timestampMs: number;

  /** The same instant as a timestamptz, for time-range queries. */
  @Column({ name: 'event_time', type: 'timestamptz' })
  eventTime: Date;

  @Column({ type: 'double precision' })
  score: number;

  @Column({ name: 'want_action', type: 'varchar', length: 8 })
  wantAction: string;

  /** Top-level keys the spec does not document. */
  @Column({ name: 'extra_fields', type: 'jsonb', nullable: true })
  extraFields: UnknownFields | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  /** `ext_data.dev_sno`, copied for the admin API's filters. */
  @Column({ name: 'dev_sno', type: 'text' })
  devSno: string;

  /** `ext_data.ep_id`, copied for the admin API's filters. */
  @Column({ name: 'ep_id', type: 'text' })
  epId: string;

  /** `ext_data.person_type` as stored there (1 when the box left it out), copied for the admin API's filters. */
  @Column({ name: 'person_type', type: 'smallint' })
  personType: number;

  /** Address the upload came from (the box, or the proxy in front of it). */
  @Column({ name: 'received_from', type: 'inet', nullable: true })
  receivedFrom: string | null;

  @OneToOne(() => HistoryEventExtDataEntity, (extData) => extData.event)
  extData?: Relation<HistoryEventExtDataEntity>;

  @OneToMany(() => HistoryEventFiqaEntity, (fiqa) => fiqa.event)
  fiqa?: Relation<HistoryEventFiqaEntity>[];

  @OneToMany(() => HistoryEventImageEntity, (image) => image.event)
  images?: Relation<HistoryEventImageEntity>[];
}
