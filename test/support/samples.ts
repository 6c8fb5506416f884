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

let lastTimestamp = 1_500_000_000_000;

/**
 * A timestamp no other event of this test file has had: the dedup key includes it, so an event
 * made with it is new. Each test file has a database (and a module registry) of its own.
 */
export function nextTimestamp(): number {
  return ++lastTimestamp;
}

/** A sample event as a new event (a fresh timestamp), with `changes` over it. */
export function freshEvent(name = 'gate-employee.json', changes: Record<string, unknown> = {}): Record<string, any> {
  return { ...sampleEvent(name), timestamp: nextTimestamp(), ...changes };
}
