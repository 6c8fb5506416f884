import { Transform } from 'class-transformer';
import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { MAX_TIMESTAMP_MS } from '../events/dto/history-event.dto';

/**
 * Instants in query strings (`from`, `to` of the event queries); the other conversions are in
 * src/common/query-params.ts. A value that does not convert is left as it came, so that the
 * validator after it names the parameter and says what is expected.
 */

const EPOCH_MS = /^\d{1,15}$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;

export const INSTANT_FORMAT =
  'epoch milliseconds or an ISO 8601 date-time with Z or an offset, e.g. 2024-03-31T08:00:00Z or 2024-03-31T10:00:00+02:00';

/**
 * Epoch milliseconds, or an ISO 8601 date-time with its zone (Z or ±hh:mm): without one, the
 * instant would depend on the server's zone. A `+` sent unencoded arrives as a space and is
 * read back as `+`. Returns null for anything else, impossible dates (2024-02-30) included.
 */
export function parseInstant(text: string): Date | null {
  const trimmed = text.trim().replace(/ (\d{2}:\d{2})$/, '+$1');
  if (EPOCH_MS.test(trimmed)) {
    const ms = Number(trimmed);
    return ms <= MAX_TIMESTAMP_MS ? new Date(ms) : null;
  }
  const match = ISO_DATE_TIME.exec(trimmed);
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '00', fraction = '', zone] = match;
  const local = `${year}-${month}-${day}T${hour}:${minute}:${second}.${fraction.padEnd(3, '0').slice(0, 3)}`;
  const offsetMinutes =
    zone.toUpperCase() === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
  const instant = new Date(`${local}Z`).getTime() - offsetMinutes * 60_000;
  if (Number.isNaN(instant) || Math.abs(offsetMinutes) > 18 * 60) return null;
  // Date rolls 2024-02-30 over into March: the fields must read back as written.
  if (new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 23) !== local) return null;
  return instant >= 0 && instant <= MAX_TIMESTAMP_MS ? new Date(instant) : null;
}

export const ToInstant = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (parseInstant(value) ?? value) : value));

export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => value instanceof Date,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be ${INSTANT_FORMAT}`,
      },
    },
    options,
  );
}
