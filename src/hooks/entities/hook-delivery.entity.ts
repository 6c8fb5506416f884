import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { HookEntity } from '../../events/entities/hook.entity';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One hook for one subscriber: written when the dispatcher fans the hook out, then claimed,
 * attempted and settled. A claim is a lease (`claimed_until`): a delivery whose instance died
 * mid-attempt becomes due again when the lease runs out.
 */
@Entity('hook_delivery')
@Check('hook_delivery_status', `"status" IN ('pending', 'delivered', 'dead')`)
@Index('hook_delivery_due', ['nextAttemptAt', 'hookSeq'], { where: `"status" = 'pending'` })
// (subscriber, left(ordering_key, 256), hook_seq) WHERE pending: an ordering key is an
// identity_id, which can be longer than a btree entry (src/database/long-text.ts). Created by the migration.
@Index('hook_delivery_pending_in_order', { synchronize: false })
@Index('hook_delivery_by_status', ['status', 'hookSeq'])
export class HookDeliveryEntity {
  @PrimaryColumn({ name: 'hook_seq', type: 'bigint' })
  hookSeq: string;

  /** `gallery`, `webhook:<scheme>//<host><path>` (no credentials, query or fragment), `amqp:<host>:<port>/<vhost>/<exchange>`: never a secret. */
  @PrimaryColumn({ type: 'text' })
  subscriber: string;

  @ManyToOne(() => HookEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'hook_seq', referencedColumnName: 'seq' })
  hook?: Relation<HookEntity>;

  /** The hook's ordering key, copied: a delivery waits while an earlier one with the same key and subscriber is pending. */
  @Column({ name: 'ordering_key', type: 'text' })
  orderingKey: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** While set and in the future, an instance is attempting the delivery. */
  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil: Date | null;

  /** Identifies one claim, so that an attempt whose lease ran out cannot settle a later claim's work. */
  @Column({ name: 'claim_token', type: 'uuid', nullable: true })
  claimToken: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  /**
   * Why the last attempt failed, as the subscriber put it: the webhook's HTTP status or network
   * error code (never its answer's body), the broker's error with the URL's password cut out, or
   * `the subscriber failed: <message>` of an error an in-process handler threw.
   */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
