import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How far the stats folder got: every committed event with an id up to `foldedUpTo` is counted
 * in `edge_point` and `event_count_slot`, and no other. One row (id 1).
 */
@Entity('event_stats_watermark')
@Check('event_stats_watermark_single_row', `"id" = 1`)
export class EventStatsWatermarkEntity {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  /** An event id; int8 comes back from pg as a string, like every id. */
  @Column({ name: 'folded_up_to', type: 'bigint' })
  foldedUpTo: string;

  @Column({ name: 'folded_at', type: 'timestamptz' })
  foldedAt: Date;
}
