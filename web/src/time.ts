/** Wall times of the operator's zone (the filters' inputs) and the instants the API takes. */

/** The offset of `zone` from UTC at `instant`, in milliseconds. */
export function zoneOffsetMs(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** `2024-03-31T08:00` read as a wall time in `zone` (the value of a datetime-local input), as an instant. */
export function wallTimeToInstant(wall: string, zone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wall);
  if (!match) return null;
  const guess = Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5]);
  const first = guess - zoneOffsetMs(guess, zone);
  return new Date(guess - zoneOffsetMs(first, zone));
}

/** An instant as the wall time of `zone`, for a datetime-local input. */
export function instantToWallTime(instant: Date, zone: string): string {
  return new Date(instant.getTime() + zoneOffsetMs(instant.getTime(), zone)).toISOString().slice(0, 16);
}

/** Midnight today in `zone`. */
export function startOfToday(zone: string, now = Date.now()): Date {
  const wall = new Date(now + zoneOffsetMs(now, zone)).toISOString().slice(0, 10);
  return wallTimeToInstant(`${wall}T00:00`, zone)!;
}
