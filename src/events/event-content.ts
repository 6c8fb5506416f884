import { createHash } from 'node:crypto';
import type { ImageKind } from './dto/history-event.dto';

/** An image as two copies of an event are compared on: its bytes by digest, and the prefix as sent. */
export interface ImageDigest {
  sha256: string;
  byte_size: number;
  data_url_prefix: string | null;
}

/** One field in which a later copy of an event differs from the stored one; an absent side is a field the copy (or the stored event) does not have. */
export interface FieldDifference {
  /** `want_action`, `reg_pic`, `ext_data.person_type`, an unknown key...: top-level fields and those of ext_data. */
  field: string;
  stored?: unknown;
  copy?: unknown;
}

/**
 * An event as sent (JSON values, unknown keys included), with each image replaced by its
 * digest: what two copies of an event are compared on, without carrying or hashing base64 text.
 * Keys defined by `Object.fromEntries`, so that a key such as `__proto__` stays an ordinary key.
 */
export function comparableEvent(event: Record<string, unknown>, images: Partial<Record<ImageKind, ImageDigest>>): Record<string, unknown> {
  const withDigest = (object: Record<string, unknown>, kinds: ImageKind[]) =>
    Object.fromEntries(
      Object.entries(object).map(([key, value]) => {
        const digest = kinds.includes(key as ImageKind) ? images[key as ImageKind] : undefined;
        return [key, digest ?? value];
      }),
    );
  const extData = event.ext_data;
  const top = withDigest(event, ['reg_pic']);
  if (typeof extData === 'object' && extData !== null && !Array.isArray(extData)) {
    top.ext_data = withDigest(extData as Record<string, unknown>, ['spot_pic', 'recognize_face']);
  }
  return top;
}

/**
 * JSON with the keys of every object in code-unit order: the same text for the same values,
 * whatever order the box (or jsonb) put the keys in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** First 16 bytes of sha256 over the canonical JSON of a comparable event: equal for equal content. */
export function contentKeyOf(comparable: Record<string, unknown>): Buffer {
  return createHash('sha256').update(canonicalJson(comparable)).digest().subarray(0, 16);
}

/** The top-level and ext_data fields in which two comparable events differ, in name order. */
export function differencesOf(stored: Record<string, unknown>, copy: Record<string, unknown>): FieldDifference[] {
  const differences: FieldDifference[] = [];
  const compare = (prefix: string, a: Record<string, unknown>, b: Record<string, unknown>, nested: string | null) => {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const [left, right] = [own(a, key), own(b, key)];
      if (key === nested && isObject(left) && isObject(right)) {
        compare(`${key}.`, left, right, null);
      } else if (left === undefined || right === undefined || canonicalJson(left) !== canonicalJson(right)) {
        differences.push({
          field: prefix + key,
          ...(left === undefined ? {} : { stored: left }),
          ...(right === undefined ? {} : { copy: right }),
        });
      }
    }
  };
  compare('', stored, copy, 'ext_data');
  return differences;
}

function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
