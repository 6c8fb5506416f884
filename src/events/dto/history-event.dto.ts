import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Expose, Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { DecodedImage, decodeImage, UndecodableImage } from '../encoded-image';

/**
 * The HistoryEvent upload of the SE3 AI mini box (generation A), as documented in
 * `shared/spec/README.md`, with the leniencies real boxes need. Fields keep the box's own names.
 * Unknown keys are not declared here: the parser keeps them aside, they are never rejected.
 */

export const WANT_ACTIONS = ['0', '1001', '1002'] as const;
export type WantAction = (typeof WANT_ACTIONS)[number];
export const PERSON_TYPES = [1, 2, 3, 4, 5] as const;
/** The box's rule: a missing person_type means an employee. */
export const DEFAULT_PERSON_TYPE = 1;
/** 9999-12-31T23:59:59.999Z: the last millisecond a timestamptz column and a JS Date share. */
export const MAX_TIMESTAMP_MS = 253_402_300_799_999;
/**
 * The longest text field (names, groups, ids, ep_id, dev_sno, device_ip...): the vendor sets no
 * limit; this one keeps a single event bounded. Longer: the event is quarantined, naming the field.
 */
export const MAX_TEXT_LENGTH = 4096;

const finite = { allowNaN: false, allowInfinity: false } as const;

/** Optional, but when the key is present its value must pass: `null` is not "absent". */
const IsOptionalKey = () => ValidateIf((object: object, value: unknown) => value !== undefined);

const Required = () => IsDefined({ message: '$property is required' });

const Text = () =>
  applyDecorators(
    IsString({ message: '$property must be a string' }),
    MaxLength(MAX_TEXT_LENGTH, { message: `$property must be at most ${MAX_TEXT_LENGTH} characters` }),
  );

const FiniteNumber = () => IsNumber(finite, { message: '$property must be a finite number' });

/** Signed 16-bit integers, the range of the smallint columns they land in. */
const SmallInt = () =>
  applyDecorators(
    IsInt({ message: '$property must be an integer' }),
    Min(0, { message: '$property must be between 0 and 32767' }),
    Max(32767, { message: '$property must be between 0 and 32767' }),
  );

// Composed decorators run their checks in the order written, so that with `stopAtFirstError`
// a value of the wrong type is reported as such rather than as out of range.

const EpochMilliseconds = () =>
  applyDecorators(
    IsInt({ message: '$property must be a whole number of epoch milliseconds' }),
    Min(0, { message: '$property must not be negative' }),
    Max(MAX_TIMESTAMP_MS, { message: '$property must be epoch milliseconds before year 10000' }),
  );

const SafeInteger = () =>
  applyDecorators(
    IsInt({ message: '$property must be an integer' }),
    Min(-Number.MAX_SAFE_INTEGER, { message: '$property must be a safe integer' }),
    Max(Number.MAX_SAFE_INTEGER, { message: '$property must be a safe integer' }),
  );

/** Decodes a base64 field once, at transformation; `IsImage` then reports what decoding found. */
const DecodeImage = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? decodeImage(value) : value));

function IsImage(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isImage',
      validator: {
        validate: (value: unknown) => value instanceof DecodedImage,
        defaultMessage: (args) =>
          args?.value instanceof UndecodableImage ? `${args.property} ${args.value.reason}` : `${args?.property} must be a base64 string`,
      },
    },
    options,
  );
}

/** How an image field reads in the OpenAPI document. */
const IMAGE_DOC = {
  type: String,
  format: 'byte',
  description: 'Base64 (canonical), optionally with a data:image/...;base64, prefix; "" when switched off. JPEG, PNG, GIF, WebP or BMP.',
};

const Nested = (type: () => new () => object) =>
  applyDecorators(IsObject({ message: '$property must be an object' }), ValidateNested(), Type(type));

export class FaceRectDto {
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() top?: number;
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() bottom?: number;
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() right?: number;
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() left?: number;
}

/** Face quality reported by the snapshot camera; `{}` in other device modes. */
export class GrabFiqaInfoDto {
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() confidence?: number;

  @ApiPropertyOptional() @Expose() @IsOptional() @SafeInteger() face_id?: number;

  @ApiPropertyOptional({ type: () => FaceRectDto }) @Expose() @IsOptional() @Nested(() => FaceRectDto) rect?: FaceRectDto;
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() pitch?: number;
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() age?: number;
  @ApiPropertyOptional({ type: () => FaceRectDto }) @Expose() @IsOptional() @Nested(() => FaceRectDto) rel_rect?: FaceRectDto;
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() yaw?: number;
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() eye_dist?: number;
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() roll?: number;
  /** 0 male, 1 female. */
  @ApiPropertyOptional({ description: '0 male, 1 female' }) @Expose() @IsOptional() @SmallInt() sex?: number;
}

export class HeadPoseDto {
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() roll_angle?: number;
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() pitch_angle?: number;
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() yaw_angle?: number;
}

export class FaceQualityDto {
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() face_size?: number;
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() clarity?: number;
  @ApiPropertyOptional({ type: () => HeadPoseDto }) @Expose() @IsOptional() @Nested(() => HeadPoseDto) headpose?: HeadPoseDto;
  @ApiPropertyOptional() @Expose() @IsOptional() @IsBoolean({ message: '$property must be true or false' }) partial?: boolean;
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() brightness?: number;
}

/** Face quality computed by the box; `fiqa_result` false means too poor to register. */
export class BoxFiqaInfoDto {
  @ApiPropertyOptional() @Expose() @IsOptional() @FiniteNumber() age?: number;
  @ApiPropertyOptional({ description: '0 male, 1 female' }) @Expose() @IsOptional() @SmallInt() sex?: number;
  @ApiPropertyOptional({ type: () => FaceQualityDto }) @Expose() @IsOptional() @Nested(() => FaceQualityDto) info?: FaceQualityDto;
  @ApiPropertyOptional({ description: 'false: too poor for a stranger to be registered' })
  @Expose()
  @IsOptional()
  @IsBoolean({ message: '$property must be true or false' })
  fiqa_result?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'Checks that passed' })
  @Expose()
  @IsOptional()
  @IsArray({ message: '$property must be an array of strings' })
  @IsString({ each: true, message: '$property must be an array of strings' })
  success?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Checks that failed' })
  @Expose()
  @IsOptional()
  @IsArray({ message: '$property must be an array of strings' })
  @IsString({ each: true, message: '$property must be an array of strings' })
  fails?: string[];
}

export class ExtDataDto {
  @ApiProperty({ example: '192.168.1.101' }) @Expose() @Required() @Text() device_ip: string;

  /** The capture device: `<dev_sno>__<device ip>`. */
  @ApiProperty({ description: 'The capture device: `<dev_sno>__<device ip>`' })
  @Expose()
  @Required()
  @Text()
  @IsNotEmpty({ message: '$property must not be empty' })
  ep_id: string;

  /** Scene photo, the full frame. */
  @ApiPropertyOptional({ ...IMAGE_DOC, description: `Scene photo, the full frame. ${IMAGE_DOC.description}` })
  @Expose()
  @IsOptionalKey()
  @DecodeImage()
  @IsImage()
  spot_pic?: DecodedImage;

  /** The face cropped from the scene photo. */
  @ApiPropertyOptional({ ...IMAGE_DOC, description: `The face cropped from the scene photo. ${IMAGE_DOC.description}` })
  @Expose()
  @IsOptionalKey()
  @DecodeImage()
  @IsImage()
  recognize_face?: DecodedImage;

  /** 1 employee (also when absent), 2 visitor, 3 blacklist, 4 stranger, 5 VIP. */
  @ApiPropertyOptional({ enum: PERSON_TYPES, description: '1 employee (also when absent), 2 visitor, 3 blacklist, 4 stranger, 5 VIP' })
  @Expose()
  @IsOptionalKey()
  @IsIn(PERSON_TYPES, { message: `$property must be one of ${PERSON_TYPES.join(', ')}` })
  person_type?: number;

  /** "0" gate, "1" snapshot camera, "2" static IPC (early firmware), "3" IPC, "4" access control. */
  @ApiProperty({ description: '"0" gate, "1" snapshot camera, "2" static IPC (early firmware), "3" IPC, "4" access control' })
  @Expose()
  @Required()
  @Text()
  device_type: string;

  @ApiProperty({ type: () => GrabFiqaInfoDto, description: 'Face quality from the snapshot camera; {} in other modes' })
  @Expose()
  @Required()
  @Nested(() => GrabFiqaInfoDto)
  grab_fiqa_info: GrabFiqaInfoDto;

  @ApiProperty({ type: () => BoxFiqaInfoDto, description: 'Face quality computed by the box' })
  @Expose()
  @Required()
  @Nested(() => BoxFiqaInfoDto)
  box_fiqa_info: BoxFiqaInfoDto;

  /** The box's authorisation code; `""` when the box is not in managed mode. */
  @ApiProperty({ description: 'The box\'s authorisation code; "" when the box is not in managed mode' })
  @Expose()
  @Required()
  @Text()
  dev_sno: string;
}

export class HistoryEventDto {
  @ApiProperty({ description: 'Person id in the gallery', example: '13435454' })
  @Expose()
  @Required()
  @Text()
  @IsNotEmpty({ message: '$property must not be empty' })
  identity_id: string;

  @ApiProperty({ description: 'Person name; "stranger" for unknown people', example: 'Tom' })
  @Expose()
  @Required()
  @Text()
  identity_name: string;

  @ApiProperty({ description: 'Gallery group matched against', example: 'default_group' })
  @Expose()
  @Required()
  @Text()
  group_name: string;

  /** The registered gallery face; the box can be set not to send it. */
  @ApiPropertyOptional({ ...IMAGE_DOC, description: `The registered gallery face. ${IMAGE_DOC.description}` })
  @Expose()
  @IsOptionalKey()
  @DecodeImage()
  @IsImage()
  reg_pic?: DecodedImage;

  /** Epoch milliseconds (the vendor's "int32" does not hold them). */
  @ApiProperty({ description: 'When the event happened, epoch milliseconds', example: 1565771454932 })
  @Expose()
  @Required()
  @EpochMilliseconds()
  timestamp: number;

  /** 0–1 on older firmware, 0–100 on newer: no range is enforced. */
  @ApiProperty({ description: 'Comparison score: 0-1 on older firmware, 0-100 on newer', example: 0.83 })
  @Expose()
  @Required()
  @FiniteNumber()
  score: number;

  @ApiProperty({ enum: WANT_ACTIONS, description: '"0" nothing, "1001" register a new stranger, "1002" update a registered face' })
  @Expose()
  @Required()
  @IsIn(WANT_ACTIONS, { message: `$property must be one of "${WANT_ACTIONS.join('", "')}"` })
  want_action: WantAction;

  @ApiProperty({ type: () => ExtDataDto, description: 'Extension data; unknown keys are kept' })
  @Expose()
  @Required()
  @Nested(() => ExtDataDto)
  ext_data: ExtDataDto;
}

export const HISTORY_EVENT_FIELDS: ReadonlySet<string> = new Set([
  'identity_id',
  'identity_name',
  'group_name',
  'reg_pic',
  'timestamp',
  'score',
  'want_action',
  'ext_data',
]);

export const EXT_DATA_FIELDS: ReadonlySet<string> = new Set([
  'device_ip',
  'ep_id',
  'spot_pic',
  'recognize_face',
  'person_type',
  'device_type',
  'grab_fiqa_info',
  'box_fiqa_info',
  'dev_sno',
]);

export const IMAGE_KINDS = ['reg_pic', 'spot_pic', 'recognize_face'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];
