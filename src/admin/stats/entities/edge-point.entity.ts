import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../../events/entities/column-transformers';

/**
 * An edge point (capture device) of a box, as its events describe it, with running totals.
 * Written only by the stats folder (never by the ingest statement), from events it has folded.
 */
@Entity('edge_point')
export class EdgePointEntity {
  /** The box's authorisation code; '' for boxes not in managed mode. */
  @PrimaryColumn({ name: 'dev_sno', type: 'text' })
  devSno: string;

  @PrimaryColumn({ name: 'ep_id', type: 'text' })
  epId: string;

  /** From the edge point's latest event (by event time). */
  @Column({ name: 'device_ip', type: 'text' })
  deviceIp: string;

  /** From the edge point's latest event (by event time). */
  @Column({ name: 'device_type', type: 'text' })
  deviceType: string;

  @Column({ name: 'first_event_time', type: 'timestamptz' })
  firstEventTime: Date;

  @Column({ name: 'last_event_time', type: 'timestamptz' })
  lastEventTime: Date;

  @Column({ name: 'event_count', type: 'bigint', transformer: bigintAsNumber })
  eventCount: number;
}
