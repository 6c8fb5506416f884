import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Realistic box payloads: a copy of the project's shared samples, kept with the tests. */
export const SAMPLES_DIR = join(__dirname, '..', 'fixtures', 'samples');

export function sampleNames(): string[] {
  return readdirSync(SAMPLES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

export function readSample<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(SAMPLES_DIR, name), 'utf8')) as T;
}

/** A sample event as a fresh object the test may change. */
export function sampleEvent(name = 'seed-example.json'): Record<string, any> {
  return readSample(name);
}

/** The event as a form upload carries it: one field per top-level key, objects as JSON text. */
export function formFields(event: Record<string, any>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(event).map(([key, value]) => [key, typeof value === 'object' ? JSON.stringify(value) : String(value)]),
  );
}
