import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { DELIVERY_STATUSES, DeliveryStatus } from '../entities/hook-delivery.entity';
import type { HookType } from '../entities/hook.entity';
import type { HookPayload } from '../hook-message';

export class HookListQueryDto {
  /** dead: some delivery is dead; pending: not fanned out yet, or some delivery is pending; delivered: every delivery is. */
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1, { message: 'limit must be a whole number from 1 to 500' })
  @Max(500, { message: 'limit must be a whole number from 1 to 500' })
  limit: number = 50;

  @IsOptional()
  @IsString({ message: 'cursor must be a next_cursor value from an earlier page' })
  cursor?: string;
}

export class HookIdParamsDto {
  @IsUUID('all', { message: 'id must be a hook id (a UUID)' })
  id: string;
}

export interface HookDeliveryDto {
  subscriber: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  delivered_at: string | null;
}

export interface HookDto {
  id: string;
  type: HookType;
  event_id: string;
  ordering_key: string;
  created_at: string;
  /** dead if any delivery is dead; else pending until every delivery is delivered. */
  status: DeliveryStatus;
  payload: HookPayload;
  deliveries: HookDeliveryDto[];
}

/** A hook row with its deliveries aggregated as JSON (timestamps as text). */
export interface HookWithDeliveriesRow {
  seq: string;
  id: string;
  type: HookType;
  event_id: string;
  ordering_key: string;
  created_at: Date;
  fanned_out: boolean;
  payload: HookPayload;
  deliveries: {
    subscriber: string;
    status: DeliveryStatus;
    attempts: number;
    next_attempt_at: string;
    last_attempt_at: string | null;
    last_error: string | null;
    delivered_at: string | null;
  }[];
}

const iso = (timestamp: string | null) => (timestamp === null ? null : new Date(timestamp).toISOString());

export function hookStatus(row: Pick<HookWithDeliveriesRow, 'fanned_out' | 'deliveries'>): DeliveryStatus {
  if (row.deliveries.some((delivery) => delivery.status === 'dead')) return 'dead';
  if (!row.fanned_out || row.deliveries.some((delivery) => delivery.status === 'pending')) return 'pending';
  return 'delivered';
}

export function mapHook(row: HookWithDeliveriesRow): HookDto {
  return {
    id: row.id,
    type: row.type,
    event_id: row.event_id,
    ordering_key: row.ordering_key,
    created_at: row.created_at.toISOString(),
    status: hookStatus(row),
    payload: row.payload,
    deliveries: row.deliveries.map((delivery) => ({
      subscriber: delivery.subscriber,
      status: delivery.status,
      attempts: delivery.attempts,
      next_attempt_at: delivery.status === 'pending' ? iso(delivery.next_attempt_at) : null,
      last_attempt_at: iso(delivery.last_attempt_at),
      last_error: delivery.last_error,
      delivered_at: iso(delivery.delivered_at),
    })),
  };
}
