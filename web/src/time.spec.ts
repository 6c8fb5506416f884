import { instantToWallTime, startOfToday, wallTimeToInstant, zoneOffsetMs } from './time';

describe('wall times of a time zone', () => {
  it('reads a datetime-local value in the zone, across daylight-saving changes', () => {
    expect(wallTimeToInstant('2024-03-31T08:00', 'Asia/Shanghai')!.toISOString()).toBe('2024-03-31T00:00:00.000Z');
    // Berlin: 01:30 is before the change (UTC+1), 03:30 after it (UTC+2).
    expect(wallTimeToInstant('2024-03-31T01:30', 'Europe/Berlin')!.toISOString()).toBe('2024-03-31T00:30:00.000Z');
    expect(wallTimeToInstant('2024-03-31T03:30', 'Europe/Berlin')!.toISOString()).toBe('2024-03-31T01:30:00.000Z');
    expect(wallTimeToInstant('2024-11-03T12:00', 'America/New_York')!.toISOString()).toBe('2024-11-03T17:00:00.000Z');
    expect(wallTimeToInstant('not a time', 'UTC')).toBeNull();
  });

  it('writes an instant as the wall time of the zone, and back', () => {
    const instant = new Date('2024-07-01T23:45:00Z');
    expect(instantToWallTime(instant, 'Asia/Shanghai')).toBe('2024-07-02T07:45');
    expect(wallTimeToInstant(instantToWallTime(instant, 'America/Los_Angeles'), 'America/Los_Angeles')).toEqual(instant);
    expect(zoneOffsetMs(instant.getTime(), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
  });

  it('finds midnight of the zone', () => {
    const now = Date.parse('2024-03-10T20:00:00Z');
    expect(startOfToday('Asia/Shanghai', now).toISOString()).toBe('2024-03-10T16:00:00.000Z');
    expect(startOfToday('UTC', now).toISOString()).toBe('2024-03-10T00:00:00.000Z');
    expect(startOfToday('America/New_York', now).toISOString()).toBe('2024-03-10T05:00:00.000Z');
  });
});
