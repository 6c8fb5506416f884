import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JsonObject } from '../../../common/json';
import { IMAGE_KINDS, ImageKind, WANT_ACTIONS } from '../../../events/dto/history-event.dto';
import type { StoredHistoryEvent } from '../../../events/history-event.mapper';
import { imageUrl } from '../../../events/image-url';

export const thumbnailUrl = (eventId: string, kind: ImageKind) => `${imageUrl(eventId, kind)}/thumbnail`;

export class EventImageDto {
  @ApiProperty({
    description: 'Where to fetch the bytes; null when the box sent the image empty',
    type: String,
    nullable: true,
    example: '/api/events/41/images/spot_pic',
  })
  url: string | null;

  @ApiProperty({ description: 'Read from the bytes; null for an empty image', type: String, nullable: true, example: 'image/jpeg' })
  content_type: string | null;

  @ApiProperty({ description: 'Size of the decoded image', example: 37580 })
  byte_size: number;

  @ApiProperty({ description: 'sha256 of the bytes, hex (also the ETag of the image)' })
  sha256: string;

  @ApiProperty({
    description: 'A small WebP copy (`?size=96|192|384`); null when the box sent the image empty',
    type: String,
    nullable: true,
    example: '/api/events/41/images/spot_pic/thumbnail',
  })
  thumbnail_url: string | null;
}

/** The images an event carries, by kind; a kind the box did not send is absent. */
export class EventImagesDto {
  @ApiPropertyOptional({ type: EventImageDto, description: 'The registered gallery face' })
  reg_pic?: EventImageDto;

  @ApiPropertyOptional({ type: EventImageDto, description: 'The scene photo' })
  spot_pic?: EventImageDto;

  @ApiPropertyOptional({ type: EventImageDto, description: 'The face cropped from the scene photo' })
  recognize_face?: EventImageDto;
}

export class EventExtDataDto {
  @ApiProperty({ example: '192.168.1.101' })
  device_ip: string;

  @ApiProperty({ example: '3714be15-09b3-41ec-b9ce-62b668e5fa32__192.168.1.101' })
  ep_id: string;

  @ApiProperty({ description: '1 employee (also when the box left it out), 2 visitor, 3 blacklist, 4 stranger, 5 VIP', example: 1 })
  person_type: number;

  @ApiProperty({ description: '0 gate, 1 snapshot camera, 2 static IPC, 3 IPC, 4 access control', example: '0' })
  device_type: string;

  @ApiProperty({ example: '3714be15-09b3-41ec-b9ce-62b668e5fa32' })
  dev_sno: string;
}

/** An event in a list: the box's own field names, plus `id`, `event_time`, `received_at` and image links. */
export class EventItemDto {
  @ApiProperty({ example: '41' })
  id: string;

  @ApiProperty({ description: 'When the service stored it' })
  received_at: Date;

  @ApiProperty({ example: '13435454' })
  identity_id: string;

  @ApiProperty({ example: 'Tom' })
  identity_name: string;

  @ApiProperty({ example: 'default_group' })
  group_name: string;

  @ApiProperty({ description: 'As the box sent it: epoch milliseconds', example: 1565771454932 })
  timestamp: number;

  @ApiProperty({ description: '`timestamp` as an ISO 8601 instant', example: '2019-08-14T08:30:54.932Z' })
  event_time: Date;

  @ApiProperty({ example: 0.83 })
  score: number;

  @ApiProperty({ enum: WANT_ACTIONS })
  want_action: string;

  @ApiProperty({ type: EventExtDataDto })
  ext_data: EventExtDataDto;

  @ApiProperty({ type: EventImagesDto })
  images: EventImagesDto;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: "The box's face-quality verdict (ext_data.box_fiqa_info.fiqa_result); null when it sent none",
  })
  fiqa_result: boolean | null;
}

export class EventPageDto {
  @ApiProperty({ type: [EventItemDto] })
  items: EventItemDto[];

  @ApiProperty({ description: 'Pass as `cursor` for the next page; null on the last page', type: String, nullable: true })
  next_cursor: string | null;

  @ApiPropertyOptional({ description: 'With count=true: how many events match the filters' })
  total?: number;
}

export class EventDetailExtDataDto extends EventExtDataDto {
  @ApiProperty({ description: 'false when the box left person_type out (person_type then reads 1)' })
  person_type_sent: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'As the box sent it' })
  grab_fiqa_info: JsonObject;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'As the box sent it' })
  box_fiqa_info: JsonObject;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'ext_data keys the spec does not document' })
  extra_fields: JsonObject | null;
}

/** Every stored field of an event; the images as links. */
export class EventDetailDto extends EventItemDto {
  @ApiProperty({ type: EventDetailExtDataDto })
  declare ext_data: EventDetailExtDataDto;

  @ApiProperty({ description: 'The address the upload came from', type: String, nullable: true, example: '192.168.1.101' })
  received_from: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Top-level keys the spec does not document' })
  extra_fields: JsonObject | null;
}

/** An image row as the list query returns it (without the bytes). */
export interface ImageRow {
  kind: ImageKind;
  content_type: string | null;
  byte_size: number;
  sha256: string;
}

/** A row of the list query. */
export interface EventRow {
  id: string;
  received_at: Date;
  identity_id: string;
  identity_name: string;
  group_name: string;
  timestamp_ms: string;
  event_time: Date;
  score: number;
  want_action: string;
  device_ip: string;
  ep_id: string;
  person_type: number;
  device_type: string;
  dev_sno: string;
  images: ImageRow[];
  fiqa_result: boolean | null;
}

export function mapEventImages(eventId: string, images: ImageRow[]): EventImagesDto {
  const byKind = new Map(images.map((image) => [image.kind, image]));
  const mapped: EventImagesDto = {};
  for (const kind of IMAGE_KINDS) {
    const image = byKind.get(kind);
    if (!image) continue;
    mapped[kind] = {
      url: image.byte_size > 0 ? imageUrl(eventId, kind) : null,
      thumbnail_url: image.byte_size > 0 ? thumbnailUrl(eventId, kind) : null,
      content_type: image.content_type,
      byte_size: image.byte_size,
      sha256: image.sha256,
    };
  }
  return mapped;
}

export function mapEventItem(row: EventRow): EventItemDto {
  return {
    id: row.id,
    received_at: row.received_at,
    identity_id: row.identity_id,
    identity_name: row.identity_name,
    group_name: row.group_name,
    timestamp: Number(row.timestamp_ms),
    event_time: row.event_time,
    score: row.score,
    want_action: row.want_action,
    ext_data: {
      device_ip: row.device_ip,
      ep_id: row.ep_id,
      person_type: row.person_type,
      device_type: row.device_type,
      dev_sno: row.dev_sno,
    },
    images: mapEventImages(row.id, row.images),
    fiqa_result: row.fiqa_result,
  };
}

/** A stored event, loaded with its ext_data, FIQA rows and images (without their bytes). */
export function mapEventDetail(event: StoredHistoryEvent): EventDetailDto {
  const { extData } = event;
  const fiqa = (source: 'grab' | 'box') => event.fiqa.find((row) => row.source === source)?.raw ?? {};
  const verdict = event.fiqa.find((row) => row.source === 'box')?.fiqaResult;
  return {
    id: event.id,
    received_at: event.receivedAt,
    received_from: event.receivedFrom,
    identity_id: event.identityId,
    identity_name: event.identityName,
    group_name: event.groupName,
    timestamp: event.timestampMs,
    event_time: event.eventTime,
    score: event.score,
    want_action: event.wantAction,
    ext_data: {
      device_ip: extData.deviceIp,
      ep_id: extData.epId,
      person_type: extData.personType,
      person_type_sent: extData.personTypeSent,
      device_type: extData.deviceType,
      dev_sno: extData.devSno,
      grab_fiqa_info: fiqa('grab'),
      box_fiqa_info: fiqa('box'),
      extra_fields: extData.extraFields,
    },
    extra_fields: event.extraFields,
    images: mapEventImages(
      event.id,
      event.images.map((image) => ({
        kind: image.kind,
        content_type: image.contentType,
        byte_size: image.byteSize,
        sha256: image.sha256.toString('hex'),
      })),
    ),
    fiqa_result: verdict ?? null,
  };
}
