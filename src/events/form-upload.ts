import { BadRequestException } from '@nestjs/common';
import { NUMBER_TEXT } from '../common/query-params';
import type { FormFile } from '../intake/body-parsers';
import { checkJsonCost, JsonCostLimits } from '../intake/json-cost';
import { IMAGE_KINDS } from './dto/history-event.dto';
import { isPlainObject } from './history-event.parser';

const OBJECT_FIELDS = ['grab_fiqa_info', 'box_fiqa_info'];

/**
 * Turns a form upload (urlencoded or multipart) into the event the JSON upload would carry.
 * The vendor does not document this encoding; the assumption, also in the README:
 * - one event per request, one form field per top-level key;
 * - `ext_data` (and the FIQA objects inside it) as JSON text, or as bracketed fields
 *   (`ext_data[device_ip]`) when the client builds them that way;
 * - numbers (`timestamp`, `score`, `person_type`) as decimal text;
 * - images as base64 text fields, or as file parts named `reg_pic`, `spot_pic`,
 *   `recognize_face` holding the raw image bytes.
 * Text that does not convert is left as it is, so that validation names the field. JSON text
 * is refused if it costs more than a JSON body may (depth, number of values) before it is parsed.
 */
export function eventFromForm(fields: Record<string, unknown>, files: FormFile[], limits: JsonCostLimits): Record<string, unknown> {
  const event = convertFields(fields ?? {}, {
    timestamp: numberFromText,
    score: numberFromText,
    ext_data: (value) => objectFromText(value, 'ext_data', limits),
  });
  if (isPlainObject(event.ext_data)) {
    event.ext_data = convertFields(event.ext_data, {
      person_type: numberFromText,
      ...Object.fromEntries(OBJECT_FIELDS.map((field) => [field, (value: unknown) => objectFromText(value, `ext_data.${field}`, limits)])),
    });
  }
  for (const file of files ?? []) {
    const kind = IMAGE_KINDS.find((candidate) => candidate === file.fieldname);
    if (!kind) {
      throw new BadRequestException(
        `unexpected file field ${JSON.stringify(file.fieldname)}: files are accepted as ${IMAGE_KINDS.join(', ')}`,
      );
    }
    const target = kind === 'reg_pic' ? event : event.ext_data;
    if (!isPlainObject(target)) {
      throw new BadRequestException(`the ${kind} file belongs in ext_data, which must be sent as a JSON object`);
    }
    target[kind] = file.buffer.toString('base64');
  }
  return event;
}

/** A copy of `fields` (as a plain object) with the converters applied to the keys present. */
function convertFields(fields: Record<string, unknown>, converters: Record<string, (value: unknown) => unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [key, Object.hasOwn(converters, key) ? converters[key](value) : value]),
  );
}

function numberFromText(value: unknown): unknown {
  return typeof value === 'string' && NUMBER_TEXT.test(value) ? Number(value) : value;
}

function objectFromText(value: unknown, field: string, limits: JsonCostLimits): unknown {
  if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return value;
  checkJsonCost(value, limits, field);
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
