/** The bytes of a JSON upload that is not valid UTF-8, kept by the intake (`undecodableBodyOf`). */
export { undecodableBodyOf } from '../intake/body-intake.service';

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT, COMMA, QUOTE, BACKSLASH] = [0x5b, 0x5d, 0x7b, 0x7d, 0x2c, 0x22, 0x5c];

/**
 * The bytes of each element of the JSON array in `body`, in order; null when `body` is not an
 * array. A scan of the structure bytes: JSON's structural characters are ASCII and bytes from
 * 0x80 only occur inside strings, so it works on bytes that are not valid UTF-8. Run only on a
 * body that JSON.parse has accepted once decoded.
 */
export function jsonArrayElements(body: Buffer): Buffer[] | null {
  let index = 0;
  while (index < body.length && WHITESPACE.has(body[index])) index++;
  if (body[index] !== OPEN_ARRAY) return null;
  const elements: Buffer[] = [];
  let depth = 0;
  let inString = false;
  let start = index + 1;
  for (index++; index < body.length; index++) {
    const byte = body[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth++;
    } else if (depth > 0 && (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT)) {
      depth--;
    } else if (depth === 0 && (byte === COMMA || byte === CLOSE_ARRAY)) {
      const element = trim(body.subarray(start, index));
      if (element.length > 0) elements.push(element);
      if (byte === CLOSE_ARRAY) return elements;
      start = index + 1;
    }
  }
  return null;
}

function trim(bytes: Buffer): Buffer {
  let from = 0;
  let to = bytes.length;
  while (from < to && WHITESPACE.has(bytes[from])) from++;
  while (to > from && WHITESPACE.has(bytes[to - 1])) to--;
  return bytes.subarray(from, to);
}
