import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import { FieldErrorsException } from '../common/error-response';

export interface JsonCostLimits {
  /** Deepest nesting of objects and arrays (JSON_MAX_DEPTH). */
  maxDepth: number;
  /** Most values: objects, arrays, items and members (JSON_MAX_ELEMENTS). */
  maxElements: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * What a JSON text will cost to parse, counted as its bytes arrive and before anything parses
 * it: its nesting depth and its number of values (each `{`, `[` and `,` outside strings, so an
 * empty container counts twice). `JSON.parse` and everything after it cost time in proportion to
 * that count, not to the size: 6 KB of gzip inflate to two million `[]`, seconds of event loop.
 * Strings, most of an upload (base64 images), are skipped with `indexOf`, not byte by byte.
 * It judges cost, not validity: `JSON.parse` still has the last word.
 */
export class JsonCostMeter {
  private depth = 0;
  private elements = 1;
  private inString = false;
  /** The last byte of the previous chunk was a backslash inside a string. */
  private escaped = false;
  private started = false;

  constructor(
    private readonly limits: JsonCostLimits,
    /** What the text is, in messages: "the request body", "ext_data". */
    private readonly what: string,
  ) {}

  /** Counts the next bytes; throws the refusal (400 too deep or not JSON, 413 too many values) once a limit is passed. */
  write(chunk: Buffer): void {
    const length = chunk.length;
    let index = 0;
    if (!this.started) {
      while (index < length && WHITESPACE.has(chunk[index])) index++;
      if (index === length) return;
      if (chunk[index] !== OPEN_BRACE && chunk[index] !== OPEN_BRACKET) {
        throw new BadRequestException(`${this.what} is not valid JSON: it must be an object or an array`);
      }
      this.started = true;
    }
    // Where the next quote and backslash are, looked up once per chunk and then as passed.
    let nextQuote = -1;
    let nextBackslash = -1;
    while (index < length) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          index++;
          continue;
        }
        if (nextQuote < index) nextQuote = indexOrEnd(chunk, QUOTE, index);
        if (nextBackslash < index) nextBackslash = indexOrEnd(chunk, BACKSLASH, index);
        if (nextBackslash < nextQuote) {
          // Skip the backslash and the byte it escapes (which may be in the next chunk).
          index = nextBackslash + 2;
          if (index > length) this.escaped = true;
          continue;
        }
        if (nextQuote === length) return;
        this.inString = false;
        index = nextQuote + 1;
        continue;
      }
      const byte = chunk[index++];
      if (byte === QUOTE) {
        this.inString = true;
      } else if (byte === COMMA) {
        this.count();
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        this.count();
        if (++this.depth > this.limits.maxDepth) {
          throw new FieldErrorsException(`${this.what} is nested deeper than ${this.limits.maxDepth} levels (JSON_MAX_DEPTH)`, []);
        }
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        this.depth--;
      }
    }
  }

  private count(): void {
    if (++this.elements > this.limits.maxElements) {
      throw new PayloadTooLargeException(
        `${this.what} holds more than ${this.limits.maxElements} JSON values (JSON_MAX_ELEMENTS): send fewer events or fields at a time`,
      );
    }
  }
}

function indexOrEnd(chunk: Buffer, byte: number, from: number): number {
  const found = chunk.indexOf(byte, from);
  return found === -1 ? chunk.length : found;
}

/** Checks a JSON text held in a string (a form field) before it is parsed. */
export function checkJsonCost(text: string, limits: JsonCostLimits, what: string): void {
  new JsonCostMeter(limits, what).write(Buffer.from(text, 'utf8'));
}
