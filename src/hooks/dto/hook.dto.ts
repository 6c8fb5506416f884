import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/page-query.dto';
import { IsDatabaseId } from '../../common/query-params';
import { IMAGE_KINDS, ImageKind } from '../../events/dto/history-event.dto';
import { DELIVERY_STATUSES, DeliveryStatus } from '../entities/hook-delivery.entity';
import { HOOK_TYPES, HookType } from '../../events/entities/hook.entity';
import type { HookPayload } from '../hook-message';

export class HookListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: DELIVERY_STATUSES,
    description:
      'Only the hooks whose overall status it is. dead: some delivery is dead; pending: not fanned out yet, or some delivery is pending; delivered: every delivery is',
  })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: 'Only the hooks this event caused', example: '41' })
  @IsOptional()
  @IsDatabaseId({ message: 'event_id must be an event id (a positive whole number)' })
  event_id?: string;
}

export class HookIdParamsDto {
  @ApiProperty({ description: 'The hook id (a UUID, the id every delivery carries)', format: 'uuid' })
  @IsUUID('all', { message: 'id must be a hook id (a UUID)' })
  id: string;
}

export class HookDeliveryDto {
  @ApiProperty({
    description: '`gallery`, `webhook:<url without credentials or query>` or `amqp:<host>/<vhost>/<exchange>`',
    example: 'gallery',
  })
  subscriber: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status: DeliveryStatus;

  @ApiProperty({ description: 'Attempts so far (0 again after a retry)', example: 1 })
  attempts: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due; null unless pending' })
  next_attempt_at: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_attempt_at: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed', example: 'the receiver answered HTTP 503' })
  last_error: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  delivered_at: string | null;
}

export class HookPayloadEventDto {
  @ApiProperty({ description: 'As the box sent it: epoch milliseconds', example: 1565771454932 })
  timestamp: number;

  @ApiProperty({ format: 'date-time', description: '`timestamp` as an ISO 8601 instant', example: '2019-08-14T08:30:54.932Z' })
  time: string;

  @ApiProperty({ example: 0.83 })
  score: number;

  @ApiProperty({ description: '1001 stranger registration, 1002 gallery update, 0 nothing', example: '1001' })
  want_action: string;
}

export class HookPayloadIdentityDto {
  @ApiProperty({ description: "The box's identity_id", example: '13435454' })
  id: string;

  @ApiProperty({ example: 'Tom' })
  name: string;

  @ApiProperty({ description: 'The gallery group', example: 'default_group' })
  group: string;

  @ApiProperty({ description: '1 employee, 2 visitor, 3 blacklist, 4 stranger, 5 VIP', example: 4 })
  person_type: number;
}

export class HookPayloadDeviceDto {
  @ApiProperty({ example: '3714be15-09b3-41ec-b9ce-62b668e5fa32' })
  dev_sno: string;

  @ApiProperty({ example: '3714be15-09b3-41ec-b9ce-62b668e5fa32__192.168.1.101' })
  ep_id: string;

  @ApiProperty({ example: '192.168.1.101' })
  device_ip: string;

  @ApiProperty({ description: '0 gate, 1 snapshot camera, 2 static IPC, 3 IPC, 4 access control', example: '0' })
  device_type: string;
}

export class HookPayloadFiqaDto {
  @ApiProperty({ type: Boolean, nullable: true, description: "The box's face-quality verdict; null when it sent none" })
  result: boolean | null;

  @ApiProperty({ type: [String], description: 'The quality checks that failed' })
  fails: string[];
}

/** What the hook tells about its event: ids, times, identity, device, FIQA verdict; never the images. */
export class HookPayloadDto implements HookPayload {
  @ApiProperty({ type: HookPayloadEventDto })
  event: HookPayloadEventDto;

  @ApiProperty({ type: HookPayloadIdentityDto })
  identity: HookPayloadIdentityDto;

  @ApiProperty({ type: HookPayloadDeviceDto })
  device: HookPayloadDeviceDto;

  @ApiProperty({ type: HookPayloadFiqaDto })
  fiqa: HookPayloadFiqaDto;

  @ApiProperty({ enum: IMAGE_KINDS, isArray: true, description: 'The kinds of the non-empty images the event has' })
  images: ImageKind[];
}

export class HookDto {
  @ApiProperty({ format: 'uuid', description: 'Stable across attempts and subscribers' })
  id: string;

  @ApiProperty({ enum: HOOK_TYPES })
  type: HookType;

  @ApiProperty({ description: 'The event that caused it', example: '41' })
  event_id: string;

  @ApiProperty({ description: "The box's identity_id: hooks with the same key are delivered in order", example: '13435454' })
  ordering_key: string;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description: 'dead if any delivery is dead; else pending until every delivery is delivered',
  })
  status: DeliveryStatus;

  @ApiProperty({ type: HookPayloadDto })
  payload: HookPayloadDto;

  @ApiProperty({ type: [HookDeliveryDto], description: 'One per subscriber, by subscriber; empty until fanned out' })
  deliveries: HookDeliveryDto[];
}

export class HookPageDto {
  @ApiProperty({ type: [HookDto], description: 'Newest first' })
  items: HookDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  next_cursor: string | null;
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
