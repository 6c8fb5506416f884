import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Calls `probe` until `done` holds for its result, then returns that result; fails with the last
 * result after `timeoutMs`. For states reached asynchronously (deliveries), instead of sleeping.
 */
export async function pollUntil<T>(
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  { timeoutMs = 15_000, intervalMs = 50, what = 'the expected state' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what} was not reached within ${timeoutMs} ms; last seen: ${JSON.stringify(value, null, 1)?.slice(0, 2000)}`);
    }
    await sleep(intervalMs);
  }
}
