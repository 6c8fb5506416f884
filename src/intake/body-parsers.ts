import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import appendField from 'append-field';
import busboy, { Busboy } from 'busboy';
import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { finished } from 'node:stream/promises';
import qs from 'qs';
import type { BodySink } from './body-reader';
import { JsonCostLimits, JsonCostMeter } from './json-cost';

/** A body read to its end, parsed on demand (under the processing slot: parsing is what costs). */
export interface ParsableBody<T> extends BodySink {
  parse(): Promise<T> | T;
}

/** A file part of a multipart body, held in memory. */
export interface FormFile {
  fieldname: string;
  buffer: Buffer;
}

/** Bytes collected as they arrive; joined once. */
class Chunks {
  private readonly list: Buffer[] = [];
  size = 0;

  push(chunk: Buffer): void {
    this.list.push(chunk);
    this.size += chunk.length;
  }

  bytes(): Buffer {
    return Buffer.concat(this.list, this.size);
  }
}

/**
 * A JSON body: its cost (depth, number of values) is counted as it arrives, so that a body too
 * costly to parse is refused before `JSON.parse` sees it. Objects and arrays only at the top
 * (what body-parser's strict mode accepted). `parse()` gives undefined for an empty body.
 */
export class JsonBody implements ParsableBody<unknown> {
  private readonly chunks = new Chunks();
  private readonly meter: JsonCostMeter;
  /** The body as received, once parsed, if it is not valid UTF-8 (decoding replaced some bytes with U+FFFD). */
  undecodable?: Buffer;

  constructor(limits: JsonCostLimits) {
    this.meter = new JsonCostMeter(limits, 'the request body');
  }

  write(chunk: Buffer): void {
    this.meter.write(chunk);
    this.chunks.push(chunk);
  }

  parse(): unknown {
    if (this.chunks.size === 0) return undefined;
    const bytes = this.chunks.bytes();
    if (!isUtf8(bytes)) this.undecodable = bytes;
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new BadRequestException(`the request body is not valid JSON: ${(error as Error).message}`);
    }
  }
}

/** An application/x-www-form-urlencoded body: at most `maxFields` fields, counted as it arrives. */
export class UrlencodedBody implements ParsableBody<Record<string, unknown>> {
  private readonly chunks = new Chunks();
  private fields = 1;

  constructor(private readonly maxFields: number) {}

  write(chunk: Buffer): void {
    for (let at = chunk.indexOf(0x26); at !== -1; at = chunk.indexOf(0x26, at + 1)) {
      if (++this.fields > this.maxFields) throw tooManyFields(this.maxFields);
    }
    this.chunks.push(chunk);
  }

  /** Parsed as body-parser's `extended: false` did: no nesting, a repeated name gives an array. */
  parse(): Record<string, unknown> {
    if (this.chunks.size === 0) return {};
    return qs.parse(this.chunks.bytes().toString('utf8'), {
      allowPrototypes: true,
      arrayLimit: this.fields,
      depth: 0,
      charset: 'utf-8',
      parameterLimit: this.maxFields,
      strictDepth: true,
    });
  }
}

export interface MultipartLimits {
  /** Text fields at most. */
  maxFields: number;
  /** File parts at most. */
  maxFiles: number;
  /** Largest file part, and its setting (named in the 413). */
  maxFileBytes: number;
  fileLimitName: string;
  /** Largest text field: the whole body's limit (the total is enforced by the reader). */
  maxFieldBytes: number;
  /** Deepest bracketed field name (`a[b][c]`). */
  maxNesting: number;
}

/** Largest index of a bracketed array field name (`a[999]`): a larger one would make a sparse array that long. */
const MAX_ARRAY_INDEX = 1000;

/**
 * A multipart/form-data body, parsed by busboy as it arrives: text fields into an object
 * (bracketed names nested, as multer did), file parts into memory. The part counts are sized to
 * one event, each file part is capped, and any limit passed refuses the body (413) at once.
 */
export class MultipartBody implements ParsableBody<{ fields: Record<string, unknown>; files: FormFile[] }> {
  private readonly parser: Busboy;
  private readonly fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  private readonly files: FormFile[] = [];
  private error?: HttpException;
  private readonly done: Promise<void>;

  constructor(headers: IncomingHttpHeaders, limits: MultipartLimits) {
    try {
      this.parser = busboy({
        headers,
        limits: {
          fieldSize: limits.maxFieldBytes + 1,
          fileSize: limits.maxFileBytes + 1,
          fields: limits.maxFields,
          files: limits.maxFiles,
          parts: limits.maxFields + limits.maxFiles + 1,
          headerPairs: 16,
        },
      });
    } catch (error) {
      throw new BadRequestException(`the multipart body cannot be read: ${(error as Error).message}`);
    }
    const refuse = (error: HttpException) => (this.error ??= error);
    this.parser.on('field', (rawName, value, info) => {
      const name = decodeFormDataName(rawName);
      if (info.nameTruncated) return refuse(new BadRequestException('a form field name is longer than 100 bytes'));
      if (info.valueTruncated) return refuse(new PayloadTooLargeException(`the form field ${name} is larger than the body limit`));
      if (name.split('[').length - 1 > limits.maxNesting) {
        return refuse(new BadRequestException(`the form field name ${name} is nested deeper than ${limits.maxNesting} levels`));
      }
      if (exceedsArrayIndex(name)) {
        return refuse(new BadRequestException(`the form field name ${name} has an index above ${MAX_ARRAY_INDEX}`));
      }
      try {
        appendField(this.fields, name, value);
      } catch {
        refuse(new BadRequestException(`the form field name ${name} cannot be used`));
      }
    });
    this.parser.on('file', (rawName, stream) => {
      const name = decodeFormDataName(rawName);
      const parts: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => parts.push(chunk));
      stream.on('limit', () => refuse(new PayloadTooLargeException(`the file ${name} is larger than ${limits.fileLimitName}`)));
      stream.on('end', () => this.files.push({ fieldname: name, buffer: Buffer.concat(parts) }));
    });
    this.parser.on('fieldsLimit', () => refuse(new PayloadTooLargeException(`the form holds more than ${limits.maxFields} fields`)));
    this.parser.on('filesLimit', () =>
      refuse(new PayloadTooLargeException(`the form holds more than ${limits.maxFiles} files (file parts)`)),
    );
    this.parser.on('partsLimit', () =>
      refuse(new PayloadTooLargeException(`the form holds more than ${limits.maxFields + limits.maxFiles} parts`)),
    );
    // A malformed form stops the reading at once (the next write throws); `done` reports the rest.
    this.parser.on('error', (error: Error) => refuse(new BadRequestException(`the multipart body cannot be read: ${error.message}`)));
    this.done = finished(this.parser);
    this.done.catch(() => undefined);
  }

  write(chunk: Buffer): void {
    if (!this.error) this.parser.write(chunk);
    if (this.error) {
      this.parser.destroy();
      throw this.error;
    }
  }

  async parse(): Promise<{ fields: Record<string, unknown>; files: FormFile[] }> {
    if (!this.error) {
      this.parser.end();
      try {
        await this.done;
      } catch (error) {
        this.error ??= new BadRequestException(`the multipart body cannot be read: ${(error as Error).message}`);
      }
    }
    if (this.error) throw this.error;
    return { fields: this.fields, files: this.files };
  }
}

/** The WHATWG escapes of LF, CR and `"` in multipart names, reversed (as multer did). */
function decodeFormDataName(name: string): string {
  return name.replace(/%0A|%0D|%22/gi, (match) => ({ '%0A': '\n', '%0D': '\r' })[match.toUpperCase()] ?? '"');
}

function exceedsArrayIndex(name: string): boolean {
  if (!/^[^[]+(?:\[[^\]]+\])*(?:\[\])?$/.test(name)) return false;
  for (const match of name.matchAll(/\[(\d+)\]/g)) if (Number(match[1]) > MAX_ARRAY_INDEX) return true;
  return false;
}

function tooManyFields(maxFields: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`the form holds more than ${maxFields} fields`);
}
