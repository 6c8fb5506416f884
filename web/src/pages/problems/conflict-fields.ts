import type { FieldDifference, ImageDigest, ImageKind } from '../../api';

/** The image fields of an event, by their name in a difference (`ext_data.` for those inside it). */
export const IMAGE_FIELDS: Readonly<Record<string, ImageKind>> = {
  reg_pic: 'reg_pic',
  'ext_data.spot_pic': 'spot_pic',
  'ext_data.recognize_face': 'recognize_face',
};

/** One side of a row: absent when that copy has no such field. */
export type Side = { present: false } | { present: true; value: unknown };

export interface ComparisonRow {
  field: string;
  image: ImageKind | null;
  /** The service's difference for this field; undefined when both copies hold the same value. */
  difference?: FieldDifference;
  stored: Side;
  copy: Side;
}

const side = (object: Record<string, unknown>, key: string): Side =>
  Object.hasOwn(object, key) ? { present: true, value: object[key] } : { present: false };
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every top-level and ext_data field of the copy next to the stored value, differing fields first
 * (each group in name order). The service compared every such field, so one it does not list is
 * the same in the stored event; a listed image holds digests, the copy's side keeps the base64
 * it was sent with (for a preview).
 */
export function comparisonRows(copy: unknown, differences: FieldDifference[]): ComparisonRow[] {
  const event = isObject(copy) ? copy : {};
  const copySides = new Map<string, Side>();
  for (const key of Object.keys(event)) {
    const value = event[key];
    if (key === 'ext_data' && isObject(value)) {
      for (const inner of Object.keys(value)) copySides.set(`ext_data.${inner}`, side(value, inner));
    } else {
      copySides.set(key, side(event, key));
    }
  }
  const byField = new Map(differences.map((difference) => [difference.field, difference]));
  const fields = [...new Set([...copySides.keys(), ...byField.keys()])];
  const rows = fields.map((field): ComparisonRow => {
    const difference = byField.get(field);
    const copySide = copySides.get(field) ?? { present: false };
    const stored: Side = difference ? side(difference as unknown as Record<string, unknown>, 'stored') : copySide;
    return { field, image: IMAGE_FIELDS[field] ?? null, difference, stored, copy: copySide };
  });
  const byName = (a: ComparisonRow, b: ComparisonRow) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0);
  return [...rows.filter((row) => row.difference).sort(byName), ...rows.filter((row) => !row.difference).sort(byName)];
}

/** A digest as the service gives it for an image in a difference, or null for anything else. */
export function imageDigest(value: unknown): ImageDigest | null {
  return isObject(value) && typeof value.sha256 === 'string' && typeof value.byte_size === 'number'
    ? (value as unknown as ImageDigest)
    : null;
}

const DATA_URL_PREFIX = /^data:image\/[a-z0-9.+-]+;base64,/i;

/** The type read from the first bytes, as the service does: a data URL's claim is not trusted. */
function sniff(head: string): string | null {
  if (head.startsWith('\xff\xd8\xff')) return 'image/jpeg';
  if (head.startsWith('\x89PNG\r\n\x1a\n')) return 'image/png';
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'image/gif';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'image/webp';
  if (head.startsWith('BM')) return 'image/bmp';
  return null;
}

/**
 * A data URL for an image field of the copy (base64, with or without a `data:image/...;base64,`
 * prefix), typed from its bytes; null for an empty field or anything that is not an image. The
 * copy's bytes exist only in the conflict's payload, which the detail has already brought.
 */
export function imagePreview(value: unknown): { src: string; byteSize: number } | null {
  if (typeof value !== 'string') return null;
  const prefix = DATA_URL_PREFIX.exec(value.slice(0, 64));
  const base64 = prefix ? value.slice(prefix[0].length) : value;
  if (base64.length === 0 || base64.length % 4 !== 0) return null;
  let head: string;
  try {
    head = atob(base64.slice(0, 16));
  } catch {
    return null;
  }
  const type = sniff(head);
  if (!type) return null;
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return { src: `data:${type};base64,${base64}`, byteSize: (base64.length / 4) * 3 - padding };
}

/**
 * A value as compact JSON for the comparison (quoted strings: a copy may differ only in a value's
 * type, `"0"` against `0`), long strings (base64) shortened.
 */
export function valueText(value: unknown): string {
  const shorten = (item: unknown): unknown => {
    if (typeof item === 'string' && item.length > 120) return `${item.slice(0, 40)}… (${Math.round(item.length / 1024)} KB)`;
    if (Array.isArray(item)) return item.map(shorten);
    if (isObject(item)) return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, shorten(inner)]));
    return item;
  };
  return JSON.stringify(shorten(value)) ?? String(value);
}
