import { FieldErrorsException } from './error-response';

/**
 * Keyset pagination over a bigint id, newest first: the cursor is the last id of a page, opaque
 * to clients (base64url), so that page 1,000 costs what page 1 costs.
 */
export function encodeIdCursor(id: string): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

/** The id a cursor stands for; a 400 naming `cursor` when it was not made by `encodeIdCursor`. */
export function decodeIdCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const match = /^id:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) {
    throw new FieldErrorsException('the request is not valid', [
      { field: 'cursor', message: 'cursor must be a next_cursor value from an earlier page' },
    ]);
  }
  return match[1];
}

/** One page of a list and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
