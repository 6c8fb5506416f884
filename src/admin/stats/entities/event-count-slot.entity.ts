import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { bigintAsNumber } from '../../../events/entities/column-transformers';
import { EventCountValueEntity } from './event-count-value.entity';

/** What the summary can group events by; each event counts once per dimension. */
export const SUMMARY_DIMENSIONS = ['person_type', 'dev_sno', 'ep_id', 'device_type', 'want_action'] as const;
export type SummaryDimension = (typeof SUMMARY_DIMENSIONS)[number];

/** Slots are this long, aligned on the epoch: local hours and days of every zone in use today start on one. */
export const SLOT_MINUTES = 15;

/**
 * How many folded events fell in a 15-minute slot, per value of each dimension: a month's summary
 * reads at most (slots x values) rows however many events the month holds.
 */
@Entity('event_count_slot')
// (dimension, slot) INCLUDE (value_id, event_count), for index-only range reads: created by the migration.
@Index('event_count_slot_counts', { synchronize: false })
@Check('event_count_slot_dimension', `"dimension" IN ('person_type', 'dev_sno', 'ep_id', 'device_type', 'want_action')`)
export class EventCountSlotEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  dimension: SummaryDimension;

  /** Start of the slot (UTC-aligned, SLOT_MINUTES long). */
  @PrimaryColumn({ type: 'timestamptz' })
  slot: Date;

  /** The dimension's value (person_type '4', want_action '1001', a dev_sno...), in event_count_value. */
  @PrimaryColumn({ name: 'value_id', type: 'integer' })
  valueId: number;

  @ManyToOne(() => EventCountValueEntity)
  @JoinColumn({ name: 'value_id' })
  value?: Relation<EventCountValueEntity>;

  @Column({ name: 'event_count', type: 'bigint', transformer: bigintAsNumber })
  eventCount: number;
}
