/**
 * Text that may be long (ids, names, boxes: up to MAX_TEXT_LENGTH characters, 12 KB of CJK) is
 * never indexed as itself: a btree entry holds at most ~2,700 bytes. The migrations index instead
 * - for lookups, its first INDEXED_PREFIX characters (at most 1 KB): as cheap to write as the
 *   text, and the same as it for the usual short values;
 * - for unique keys, `text_digest(text)`, the sha256 of its UTF-8 bytes (a function they create).
 * A lookup compares the indexed form (through the index), then the text itself.
 */
export const INDEXED_PREFIX = 256;

export const textPrefixEquals = (column: string, other: string): string =>
  `left(${column}, ${INDEXED_PREFIX}) = left(${other}, ${INDEXED_PREFIX}) AND ${column} = ${other}`;

export const textDigestEquals = (column: string, other: string): string =>
  `text_digest(${column}) = text_digest(${other}) AND ${column} = ${other}`;
