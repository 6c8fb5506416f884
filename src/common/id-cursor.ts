import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { isDatabaseId } from './query-params';

/**
 * Keyset pagination over a bigint id, newest first: the cursor is the last id of a page, opaque
 * to clients (base64url). A page goes on strictly below that id, so page 1,000 costs what page 1
 * costs, and rows added meanwhile neither shift the pages nor repeat an item.
 */
export function encodeIdCursor(id: string): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

/** The id a cursor stands for; null when it was not made by `encodeIdCursor`. */
export function decodeIdCursor(cursor: string): string | null {
  const match = /^id:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  return match && isDatabaseId(match[1]) ? match[1] : null;
}

/** A cursor made by `encodeIdCursor`: a bad one is a 400 naming the parameter. */
export function IsIdCursor(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIdCursor',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && decodeIdCursor(value) !== null,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be a next_cursor value from an earlier page`,
      },
    },
    options,
  );
}

/**
 * The rows of a page out of the `limit + 1` rows read for it, newest first, and the cursor of
 * the next page: null when the extra row is missing, so the last page says it is the last.
 */
export function splitPage<Row>(rows: Row[], limit: number, idOf: (row: Row) => string): { rows: Row[]; next_cursor: string | null } {
  if (rows.length <= limit) return { rows, next_cursor: null };
  const page = rows.slice(0, limit);
  return { rows: page, next_cursor: encodeIdCursor(idOf(page[page.length - 1])) };
}
