import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import type { JsonObject } from '../../common/json';
import { HistoryEventEntity } from './history-event.entity';

export const HOOK_TYPES = ['stranger.registration', 'gallery.update', 'event.stored'] as const;
export type HookType = (typeof HOOK_TYPES)[number];

/**
 * The outbox: a hook an event causes, written in the same statement that stores the event, so
 * that no committed event misses its hook and no hook exists without its event. The dispatcher
 * fans it out to the subscribers and delivers it.
 */
@Entity('hook')
@Index('hook_awaiting_fan_out', ['seq'], { where: 'NOT "fanned_out"' })
export class HookEntity {
  /** Creation order, for delivery in order. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  seq: string;

  /** The stable hook id every delivery carries, so that consumers can drop repeats. */
  @Column({ type: 'uuid', unique: true })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  type: HookType;

  @Index('hook_event_id')
  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @ManyToOne(() => HistoryEventEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<HistoryEventEntity>;

  /** Hooks with the same key are delivered in order: the identity they are about. */
  @Column({ name: 'ordering_key', type: 'text' })
  orderingKey: string;

  /** What the hook says, without the event id (a column) and without images (links are made at delivery). */
  @Column({ type: 'jsonb' })
  payload: JsonObject;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  /** Set once a delivery row exists for every subscriber. */
  @Column({ name: 'fanned_out', type: 'boolean', default: false })
  fannedOut: boolean;
}
