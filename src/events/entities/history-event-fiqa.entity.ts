import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import type { JsonObject } from '../../common/json';
import { HistoryEventEntity } from './history-event.entity';

export const FIQA_SOURCES = ['grab', 'box'] as const;
export type FiqaSource = (typeof FIQA_SOURCES)[number];

/** The FIQA object as the box sent it. */
export type FiqaObject = JsonObject;

/**
 * Face-quality (FIQA) results of one event, one row per source: `grab` (the snapshot camera's
 * `grab_fiqa_info`) and `box` (the box's own `box_fiqa_info`), each kept whole in `raw`.
 *
 * Only what a query reads has a column of its own: the box's verdict `fiqa_result`, which the
 * event list shows and filters on (`fiqa_result=`, the console's quality filter). Everything else
 * (age, sex, head pose, face rectangles, the checks passed and failed, vendor fields) is read
 * from `raw`: the event detail, the original and the console's quality panel show the objects
 * as sent, and nothing filters, sorts or counts on them. Typed columns for them cost 73% of a
 * batch's parameters and were never read; a field that a query comes to need gets its column
 * (and a migration filling it from `raw`) then.
 */
@Entity('history_event_fiqa')
@Check('history_event_fiqa_source', `"source" IN ('grab', 'box')`)
export class HistoryEventFiqaEntity {
  @PrimaryColumn({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @PrimaryColumn({ type: 'varchar', length: 4 })
  source: FiqaSource;

  @ManyToOne(() => HistoryEventEntity, (event) => event.fiqa, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<HistoryEventEntity>;

  /** The box's verdict (box only): false, the image is too poor for a stranger to be registered. */
  @Column({ name: 'fiqa_result', type: 'boolean', nullable: true })
  fiqaResult: boolean | null;

  /** The object as the box sent it. */
  @Column({ type: 'jsonb' })
  raw: FiqaObject;
}
