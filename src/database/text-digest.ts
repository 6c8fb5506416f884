/**
 * Text that may be long (ids, names, boxes: up to MAX_TEXT_LENGTH characters) is indexed by
 * `text_digest(text)`, the sha256 of its UTF-8 bytes (a function the migrations create): a btree
 * entry holds at most ~2,700 bytes, and 4,096 characters of CJK text are 12 KB. A lookup
 * compares the digests (through the index), then the text itself.
 */
export const textDigestEquals = (column: string, other: string): string =>
  `text_digest(${column}) = text_digest(${other}) AND ${column} = ${other}`;
