import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldError } from '../common/error-response';
import { flattenValidationErrors } from '../common/validation-errors';
import { visibleText } from '../common/visible-text';
import { EXT_DATA_FIELDS, HISTORY_EVENT_FIELDS, HistoryEventDto, ImageKind } from './dto/history-event.dto';
import { DecodedImage } from './encoded-image';
import type { FiqaObject } from './entities/history-event-fiqa.entity';
import type { UnknownFields } from './entities/history-event.entity';

export interface ParseLimits {
  imageMaxBytes: number;
  maxDepth: number;
}

/** A valid event: the validated DTO (images decoded) and what the DTO does not declare, kept as sent. */
export interface ParsedHistoryEvent {
  /** The event as it came (JSON values). */
  raw: Record<string, unknown>;
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
 * `notUtf8`: the event's bytes were not valid UTF-8, so decoding put U+FFFD in the place of some:
 * the event is not stored as if the box had sent that text, and the fields affected are named.
 */
export function parseHistoryEvent(raw: unknown, limits: ParseLimits, notUtf8 = false): ParseOutcome {
  if (!isPlainObject(raw)) {
    return { valid: false, errors: [{ field: '', message: 'an event must be a JSON object' }] };
  }
  const walked = findUnstorableValues(raw, limits.maxDepth, notUtf8);
  if (walked.errors.length > 0) return { valid: false, errors: walked.errors };
  if (notUtf8) return { valid: false, errors: [{ field: '', message: NOT_UTF8 }] };

  const input = walked.prototypeKeys ? withoutPrototypeKeys(raw) : raw;
  const dto = plainToInstance(HistoryEventDto, input, { excludeExtraneousValues: true });
  const errors = flattenValidationErrors(validateSync(dto, { stopAtFirstError: true }));
  errors.push(...oversizedImages(dto, limits.imageMaxBytes));
  if (errors.length > 0) return { valid: false, errors: errors.slice(0, MAX_REPORTED_ERRORS) };

  const extData = raw.ext_data as Record<string, unknown>;
  return {
    valid: true,
    event: {
      raw,
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

interface Walked {
  value: unknown;
  depth: number;
  parent?: Walked;
  /** `key` or `[index]`, as sent. */
  step?: string;
}

/** The path of a node, with the NULs and unpaired surrogates of keys written out (`ext_data.a\u0000`): it goes into jsonb and logs. */
const pathOf = (node: Walked): string => {
  const steps: string[] = [];
  for (let current: Walked | undefined = node; current?.step !== undefined; current = current.parent) steps.push(current.step);
  return visibleText(steps.reverse().reduce((path, step) => (step.startsWith('[') || !path ? path + step : `${path}.${step}`), ''));
};

/** Where the images are: their strings go to the base64 check instead. */
const ROOT_IMAGES = new Set(['reg_pic']);
const EXT_DATA_IMAGES = new Set(['spot_pic', 'recognize_face']);

/**
 * What PostgreSQL cannot store as sent, anywhere in the event (unknown keys included): NUL
 * characters and unpaired surrogates in strings and keys, numbers out of double range (`1e400`
 * parses as Infinity), and nesting deeper than the cap. Image strings are left to the base64
 * check, which only passes ASCII. Also tells whether a key could pass for a prototype.
 */
function findUnstorableValues(
  event: Record<string, unknown>,
  maxDepth: number,
  notUtf8: boolean,
): { errors: FieldError[]; prototypeKeys: boolean } {
  const errors: FieldError[] = [];
  let prototypeKeys = false;
  const fail = (node: Walked, message: (leaf: string) => string) => {
    const path = pathOf(node);
    errors.push({ field: path, message: message(path.slice(path.lastIndexOf('.') + 1) || 'event') });
  };
  const pending: Walked[] = [{ value: event, depth: 1 }];
  while (pending.length > 0 && errors.length < MAX_REPORTED_ERRORS) {
    const node = pending.pop()!;
    const { value, depth } = node;
    if (typeof value === 'string') {
      const problem = unstorableText(value, notUtf8);
      if (problem) fail(node, (leaf) => `${leaf} ${problem}`);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) fail(node, (leaf) => `${leaf} must be a finite number`);
    } else if (typeof value === 'object' && value !== null) {
      if (depth > maxDepth) {
        fail(node, (leaf) => `${leaf} is nested deeper than ${maxDepth} levels`);
        continue;
      }
      if (Array.isArray(value)) {
        value.forEach((item, index) => pending.push({ value: item, depth: depth + 1, parent: node, step: `[${index}]` }));
        continue;
      }
      const images = depth === 1 ? ROOT_IMAGES : depth === 2 && node.step === 'ext_data' ? EXT_DATA_IMAGES : undefined;
      for (const [key, item] of Object.entries(value)) {
        if (PROTOTYPE_KEYS.has(key)) prototypeKeys = true;
        const child: Walked = { value: item, depth: depth + 1, parent: node, step: key };
        const keyProblem = unstorableText(key, notUtf8);
        if (keyProblem) fail(child, () => `the key ${keyProblem}`);
        if (typeof item === 'string' && images?.has(key)) continue;
        pending.push(child);
      }
    }
  }
  return { errors, prototypeKeys };
}

function unstorableText(text: string, notUtf8: boolean): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (!text.isWellFormed()) return 'contains an unpaired surrogate (invalid Unicode)';
  if (notUtf8 && text.includes('\ufffd')) return `${NOT_UTF8_TEXT}; the event's bytes are kept as received`;
  return null;
}

const NOT_UTF8_TEXT = 'is not valid UTF-8 as sent (the bytes that are not read as U+FFFD)';
const NOT_UTF8 = `the event ${NOT_UTF8_TEXT}; its bytes are kept as received`;
