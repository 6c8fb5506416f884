import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, Min, ValidateBy, ValidationArguments } from 'class-validator';
import { IMAGE_KINDS, ImageKind, MAX_TEXT_LENGTH, PERSON_TYPES, WANT_ACTIONS, WantAction } from '../../../events/dto/history-event.dto';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../common/page-query.dto';
import { IsDatabaseId, IsNotBelow, QueryText, ToBoolean, ToNumber, ToNumberList } from '../../../common/query-params';
import { decodeEventCursor, EventCursor, EventOrder } from '../../cursor';
import { INSTANT_FORMAT, IsInstant, ToInstant } from '../../instant-params';

export const EVENT_ORDERS: EventOrder[] = ['newest', 'oldest'];

const Text = () => QueryText(MAX_TEXT_LENGTH);

/** A cursor from an earlier page of the same order; decoded into `EventCursor`. */
function IsEventCursor(): PropertyDecorator {
  return ValidateBy({
    name: 'isEventCursor',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const cursor = typeof value === 'string' ? decodeEventCursor(value) : null;
        return cursor !== null && cursor.order === (args?.object as EventListQueryDto).order;
      },
      defaultMessage: () => 'cursor must be the next_cursor of an earlier page, with the same order',
    },
  });
}

/** The filters of `GET /api/events` (also used for `count`). Each one narrows the list; all are optional. */
export class EventListQueryDto {
  @ApiPropertyOptional({ type: String, description: `Events at or after this time: ${INSTANT_FORMAT}`, example: '2024-03-01T08:00:00Z' })
  @IsOptional()
  @ToInstant()
  @IsInstant()
  from?: Date;

  @ApiPropertyOptional({ type: String, description: `Events before this time (exclusive): ${INSTANT_FORMAT}`, example: '1709283600000' })
  @IsOptional()
  @ToInstant()
  @IsInstant()
  @IsNotBelow('from', true)
  to?: Date;

  @ApiPropertyOptional({ description: "The box's authorisation code (ext_data.dev_sno); empty for boxes not in managed mode" })
  @IsOptional()
  @Text()
  dev_sno?: string;

  @ApiPropertyOptional({ description: 'The edge point (ext_data.ep_id): `<dev_sno>__<device ip>`' })
  @IsOptional()
  @Text()
  ep_id?: string;

  @ApiPropertyOptional({ description: 'The capture device IP (ext_data.device_ip)', example: '192.168.1.101' })
  @IsOptional()
  @Text()
  device_ip?: string;

  @ApiPropertyOptional({
    description: 'The capture device type (ext_data.device_type): 0 gate, 1 snapshot camera, 2 static IPC, 3 IPC, 4 access control',
    example: '0',
  })
  @IsOptional()
  @Text()
  device_type?: string;

  @ApiPropertyOptional({ description: 'The person id in the gallery, exactly', example: '13435454' })
  @IsOptional()
  @Text()
  identity_id?: string;

  @ApiPropertyOptional({ description: 'Part of the person name, any case', example: 'tom' })
  @IsOptional()
  @Text()
  identity_name?: string;

  @ApiPropertyOptional({ description: 'The gallery group, exactly', example: 'default_group' })
  @IsOptional()
  @Text()
  group_name?: string;

  @ApiPropertyOptional({
    description:
      'One or several of 1 employee (also when the box left it out), 2 visitor, 3 blacklist, 4 stranger, 5 VIP: `person_type=2,4` or `person_type=2&person_type=4`',
    type: [Number],
    example: [4],
  })
  @IsOptional()
  @ToNumberList()
  @IsIn(PERSON_TYPES, { each: true, message: `$property must be one or several of ${PERSON_TYPES.join(', ')}` })
  person_type?: number[];

  @ApiPropertyOptional({ description: '0 nothing, 1001 stranger registration, 1002 gallery update', enum: WANT_ACTIONS })
  @IsOptional()
  @IsIn(WANT_ACTIONS, { message: `$property must be one of ${WANT_ACTIONS.join(', ')}` })
  want_action?: WantAction;

  @ApiPropertyOptional({ description: 'Lowest comparison score (inclusive)', example: 0.8 })
  @IsOptional()
  @ToNumber()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' })
  score_min?: number;

  @ApiPropertyOptional({ description: 'Highest comparison score (inclusive)', example: 1 })
  @IsOptional()
  @ToNumber()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' })
  @IsNotBelow('score_min', false)
  score_max?: number;

  @ApiPropertyOptional({ description: "The box's face-quality verdict (ext_data.box_fiqa_info.fiqa_result)", type: Boolean })
  @IsOptional()
  @ToBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  fiqa_result?: boolean;

  @ApiPropertyOptional({ description: 'Only events that carry this image (not empty)', enum: IMAGE_KINDS })
  @IsOptional()
  @IsIn(IMAGE_KINDS, { message: `$property must be one of ${IMAGE_KINDS.join(', ')}` })
  has_image?: ImageKind;

  @ApiPropertyOptional({ description: 'By event time: newest first (default) or oldest first', enum: EVENT_ORDERS })
  @IsIn(EVENT_ORDERS, { message: `$property must be one of ${EVENT_ORDERS.join(', ')}` })
  order: EventOrder = 'newest';

  @ApiPropertyOptional({ description: `Events per page, 1 to ${MAX_PAGE_SIZE}`, default: DEFAULT_PAGE_SIZE })
  @ToNumber()
  @IsInt({ message: `$property must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  @Min(1, { message: `$property must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `$property must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ description: "The previous page's next_cursor, to read the next page (same filters and order)" })
  @IsOptional()
  @IsString({ message: '$property must be given once, as text' })
  @IsEventCursor()
  cursor?: string;

  @ApiPropertyOptional({ description: 'true: add `total`, the number of events that match the filters (costs a count)', type: Boolean })
  @IsOptional()
  @ToBoolean()
  @IsBoolean({ message: '$property must be true or false' })
  count?: boolean;

  decodedCursor(): EventCursor | null {
    return this.cursor === undefined ? null : decodeEventCursor(this.cursor);
  }
}

export class EventIdParams {
  @ApiProperty({ description: 'The event id', example: '41' })
  @IsDatabaseId()
  id: string;
}

export class EventImageParams extends EventIdParams {
  @ApiProperty({ description: 'Which image', enum: IMAGE_KINDS })
  @IsIn(IMAGE_KINDS, { message: `$property must be one of ${IMAGE_KINDS.join(', ')}` })
  kind: ImageKind;
}
