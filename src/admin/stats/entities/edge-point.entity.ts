import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from '../../../events/entities/column-transformers';

/**
 * An edge point (capture device) of a box, as its events describe it, with running totals.
 * Written only by the stats folder (never by the ingest statement), from events it has folded.
 */
@Entity('edge_point')
// Unique (text_digest(dev_sno), text_digest(ep_id)): the texts can be longer than a btree entry.
// Created by the migration (src/database/long-text.ts).
@Index('edge_point_key', { synchronize: false })
export class EdgePointEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** The box's authorisation code; '' for boxes not in managed mode. */
  @Column({ name: 'dev_sno', type: 'text' })
  devSno: string;

  @Column({ name: 'ep_id', type: 'text' })
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
