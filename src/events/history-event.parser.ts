import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldError } from '../common/error-response';
import { flattenValidationErrors } from '../common/validation-errors';
import {
  EXT_DATA_FIELDS,
  HISTORY_EVENT_FIELDS,
  HistoryEventDto,
  IMAGE_KINDS,
  ImageKind,
} from './dto/history-event.dto';
import { DecodedImage } from './encoded-image';
import type { FiqaObject } from './entities/history-event-fiqa.entity';
import type { UnknownFields } from './entities/history-event.entity';

export interface ParseLimits {
  imageMaxBytes: number;
  maxDepth: number;
}

/** A valid event: the validated DTO (images decoded) and what the DTO does not declare, kept as sent. */
export interface ParsedHistoryEvent {
  dto: HistoryEventDto;
  extraFields: UnknownFields | null;
  extDataExtraFields: UnknownFields | null;
  grabFiqaRaw: FiqaObject;
  boxFiqaRaw: FiqaObject;
}

export type ParseOutcome = { valid: true; event: ParsedHistoryEvent } | { valid: false; errors: FieldError[] };

const MAX_REPORTED_ERRORS = 20;

/**
 * Validates one uploaded event against the HistoryEvent DTOs. Returns every problem with the
 * path of the field, as the box names it, so that a quarantined event says what is wrong.
 */
export function parseHistoryEvent(raw: unknown, limits: ParseLimits): ParseOutcome {
  if (!isPlainObject(raw)) {
    return { valid: false, errors: [{ field: '', message: 'an event must be a JSON object' }] };
  }
  const unstorable = findUnstorableValues(raw, limits.maxDepth);
  if (unstorable.length > 0) return { valid: false, errors: unstorable };

  const dto = plainToInstance(HistoryEventDto, withoutPrototypeKeys(raw), { excludeExtraneousValues: true });
  const errors = flattenValidationErrors(validateSync(dto, { stopAtFirstError: true }));
  errors.push(...oversizedImages(dto, limits.imageMaxBytes));
  if (errors.length > 0) return { valid: false, errors: errors.slice(0, MAX_REPORTED_ERRORS) };

  const extData = raw.ext_data as Record<string, unknown>;
  return {
    valid: true,
    event: {
      dto,
      extraFields: unknownFields(raw, HISTORY_EVENT_FIELDS),
      extDataExtraFields: unknownFields(extData, EXT_DATA_FIELDS),
      grabFiqaRaw: extData.grab_fiqa_info as FiqaObject,
      boxFiqaRaw: extData.box_fiqa_info as FiqaObject,
    },
  };
}

export function imagesOf(dto: HistoryEventDto): [ImageKind, DecodedImage][] {
  const images: [ImageKind, DecodedImage | undefined][] = [
    ['reg_pic', dto.reg_pic],
    ['spot_pic', dto.ext_data?.spot_pic],
    ['recognize_face', dto.ext_data?.recognize_face],
  ];
  return images.filter((entry): entry is [ImageKind, DecodedImage] => entry[1] instanceof DecodedImage);
}

function oversizedImages(dto: HistoryEventDto, maxBytes: number): FieldError[] {
  return imagesOf(dto)
    .filter(([, image]) => image.bytes.length > maxBytes)
    .map(([kind, image]) => ({
      field: kind === 'reg_pic' ? kind : `ext_data.${kind}`,
      message: `${kind} is ${image.bytes.length} bytes once decoded, over the limit of ${maxBytes}`,
    }));
}

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The event without keys named `__proto__`, `constructor` or `prototype`, for class-transformer:
 * it takes an object's `constructor` key for its class and throws on one that is not a
 * function. None is a field of the DTO; the unknown fields are kept from the event itself.
 */
function withoutPrototypeKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.some((item) => typeof item === 'object') ? value.map(withoutPrototypeKeys) : value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !PROTOTYPE_KEYS.has(key))
      .map(([key, item]) => [key, withoutPrototypeKeys(item)]),
  );
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownFields(object: Record<string, unknown>, known: ReadonlySet<string>): UnknownFields | null {
  // Object.fromEntries defines properties, so a key such as "__proto__" stays an ordinary key.
  const entries = Object.entries(object).filter(([key]) => !known.has(key));
  return entries.length > 0 ? (Object.fromEntries(entries) as UnknownFields) : null;
}

const IMAGE_PATHS = new Set([...IMAGE_KINDS.map((kind) => `ext_data.${kind}`), 'reg_pic']);

/**
 * What PostgreSQL cannot store as sent, anywhere in the event (unknown keys included): NUL
 * characters and unpaired surrogates in strings and keys, numbers out of double range (`1e400`
 * parses as Infinity), and nesting deeper than the cap. Image strings are left to the base64
 * check, which only passes ASCII.
 */
function findUnstorableValues(event: Record<string, unknown>, maxDepth: number): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: event, path: '', depth: 1 }];
  while (pending.length > 0 && errors.length < MAX_REPORTED_ERRORS) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      const problem = unstorableText(value);
      if (problem && !IMAGE_PATHS.has(path)) errors.push({ field: path, message: `${leaf(path)} ${problem}` });
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) errors.push({ field: path, message: `${leaf(path)} must be a finite number` });
    } else if (typeof value === 'object' && value !== null) {
      if (depth > maxDepth) {
        errors.push({ field: path, message: `${leaf(path)} is nested deeper than ${maxDepth} levels` });
        continue;
      }
      const entries = Array.isArray(value)
        ? value.map((item, index) => [`[${index}]`, item] as const)
        : Object.entries(value).map(([key, item]) => [path ? `.${key}` : key, item] as const);
      for (const [step, item] of entries) {
        const keyProblem = Array.isArray(value) ? null : unstorableText(step);
        if (keyProblem) errors.push({ field: path + step, message: `the key ${keyProblem}` });
        pending.push({ value: item, path: path + step, depth: depth + 1 });
      }
    }
  }
  return errors;
}

function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (!text.isWellFormed()) return 'contains an unpaired surrogate (invalid Unicode)';
  return null;
}

function leaf(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1) || 'event';
}
