import { applyDecorators } from '@nestjs/common';
import bytes from 'bytes';
import { Expose, Transform } from 'class-transformer';
import {
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';
import { IsCidr } from '../common/address-list';
import { formatDuration, parseDuration } from './durations';

/**
 * Composite decorators of settings: each reads one environment variable (its name, given first,
 * is what every refusal names), converts the text, and validates the result with one message.
 * A value that does not convert is left as it came, so that the validator names it.
 */

const ENV_NAME = Symbol('setting:env');
const SECRET = Symbol('setting:secret');

interface Common {
  /** A secret: a refusal names the variable without quoting its value. */
  secret?: boolean;
}

/** The environment variable a property of a settings class reads. */
export function envNameOf(target: object, property: string): string {
  return (Reflect.getMetadata(ENV_NAME, target, property) as string | undefined) ?? property;
}

export function isSecretSetting(target: object, property: string): boolean {
  return Reflect.getMetadata(SECRET, target, property) === true;
}

/** Reads `env` into the property, with the class's own validators (the composite ones below cover the usual kinds). */
export function Setting(env: string, { secret = false }: Common, ...decorators: PropertyDecorator[]): PropertyDecorator {
  return applyDecorators(
    (target: object, property: string | symbol) => {
      Reflect.defineMetadata(ENV_NAME, env, target, property);
      if (secret) Reflect.defineMetadata(SECRET, true, target, property);
    },
    Expose({ name: env }),
    ...decorators,
  );
}

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);

const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const normalised = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalised)) return true;
  if (['false', '0', 'no', 'off'].includes(normalised)) return false;
  return value;
};

/** "64mb", "5MB", "5242880": a byte count. */
const toByteCount = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const parsed = bytes.parse(value.trim());
  return parsed === null || Number.isNaN(parsed) ? value : Math.floor(parsed);
};

/** "10s", "5m", "250ms": milliseconds. */
const toDuration = ({ value }: { value: unknown }) => (typeof value === 'string' ? (parseDuration(value) ?? value) : value);

const splitList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? splitList(value) : value);

/** "10s,30s,1m": milliseconds each, when every one is a positive duration. */
const toDurationList = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const durations = splitList(value).map(parseDuration);
  return durations.every((ms) => ms !== undefined && ms > 0) ? durations : value;
};

function Bounds(min: number | undefined, max: number | undefined, message: string, bounds?: { min: string; max: string }) {
  return [
    ...(min === undefined ? [] : [Min(min, { message: bounds?.min ?? message })]),
    ...(max === undefined ? [] : [Max(max, { message: bounds?.max ?? message })]),
  ];
}

/** A whole number, within `min`..`max` when given. */
export function IntSetting(env: string, options: Common & { min?: number; max?: number; message?: string }): PropertyDecorator {
  const { min, max } = options;
  const message =
    options.message ??
    (min !== undefined && max !== undefined
      ? `must be a whole number between ${min} and ${max}`
      : `must be a whole number of at least ${min}`);
  return Setting(env, options, Transform(toInt), IsInt({ message }), ...Bounds(min, max, message));
}

/**
 * A duration in milliseconds ("30s", "250ms", "12h", or a number of milliseconds). Below `min`
 * or above `max`, the refusal says the bound ("a duration of at least 100ms"); a `min` of 0
 * (allowed: no limit) is part of `message`.
 */
export function DurationSetting(env: string, options: Common & { min: number; max?: number; message: string }): PropertyDecorator {
  const { min, max, message } = options;
  return Setting(
    env,
    options,
    Transform(toDuration),
    IsInt({ message }),
    ...Bounds(min, max, message, {
      min: min === 0 ? message : `must be a duration of at least ${formatDuration(min)}`,
      max: `must be a duration of at most ${formatDuration(max ?? 0)}`,
    }),
  );
}

/** A size in bytes ("64mb", "16kb", or a number of bytes). */
export function ByteSizeSetting(
  env: string,
  options: Common & { min?: number; max?: number; message: string; validators?: PropertyDecorator[] },
): PropertyDecorator {
  const { min, max, message } = options;
  return Setting(env, options, Transform(toByteCount), IsInt({ message }), ...Bounds(min, max, message), ...(options.validators ?? []));
}

export function BooleanSetting(env: string, options: Common = {}): PropertyDecorator {
  return Setting(env, options, Transform(toBoolean), IsBoolean({ message: 'must be true or false' }));
}

/** Text, matching `pattern` when given; `optional`: unset is allowed (undefined). */
export function TextSetting(
  env: string,
  options: Common & { pattern?: RegExp; message?: string; optional?: boolean } = {},
): PropertyDecorator {
  return Setting(
    env,
    options,
    ...(options.optional ? [IsOptional()] : []),
    options.pattern ? Matches(options.pattern, { message: options.message }) : IsString(),
  );
}

/** One of `values`. */
export function OneOfSetting(
  env: string,
  values: readonly string[],
  options: Common & { message: string; optional?: boolean },
): PropertyDecorator {
  return Setting(env, options, ...(options.optional ? [IsOptional()] : []), IsIn([...values], { message: options.message }));
}

/** A comma-separated list (blanks dropped), each item matching `pattern`, or each an address or CIDR block with `cidr`. */
export function ListSetting(
  env: string,
  options: Common & ({ pattern: RegExp } | { cidr: true }) & { message: string },
): PropertyDecorator {
  const each: ValidationOptions = { each: true, message: options.message };
  return Setting(env, options, Transform(toList), 'cidr' in options ? IsCidr(each) : Matches(options.pattern, each));
}

/** A comma-separated list of durations, at least one, as milliseconds. */
export function DurationListSetting(env: string, options: Common & { message: string }): PropertyDecorator {
  return Setting(
    env,
    options,
    Transform(toDurationList),
    ArrayMinSize(1, { message: options.message }),
    IsInt({ each: true, message: options.message }),
  );
}

/** A number at least as large as another property's of the same settings; a bad other value is refused on its own. */
export function AtLeast(property: string, options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'atLeast',
      validator: {
        validate: (value: unknown, args) => {
          const minimum: unknown = (args?.object as Record<string, unknown>)[property];
          return typeof value === 'number' && (typeof minimum !== 'number' || value >= minimum);
        },
      },
    },
    options,
  );
}
