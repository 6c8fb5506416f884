import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * Conversions and checks for query-string and path parameters. A value that does not convert is
 * left as it came, so that the validator after it names the parameter and says what is expected.
 */

/** A decimal number as text (what query strings and form fields carry); no hex, no Infinity, no spaces. */
export const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

const toNumber = (value: unknown) => (typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value) : value);

/** Decimal text to a number; anything else stays as it came. */
export const ToNumber = () => Transform(({ value }: { value: unknown }) => toNumber(value));

/** `true` or `false`; anything else stays as it came. */
export const ToBoolean = () => Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

/** `1,4` or `person_type=1&person_type=4`: a list of numbers (items that are not numbers stay as they came). */
export const ToNumberList = () =>
  Transform(({ value }: { value: unknown }) => {
    const items = Array.isArray(value) ? value : [value];
    if (!items.every((item) => typeof item === 'string')) return value;
    return items.flatMap((item) => item.split(',')).map(toNumber);
  });

/**
 * This property, when present, must not be below the property `lower` (when present too):
 * `to` after `from`, `score_max` at least `score_min`.
 */
export function IsNotBelow(lower: string, strictly: boolean, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBelow',
      constraints: [lower],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const other = (args?.object as Record<string, unknown>)[lower];
          if (other === undefined || value === undefined) return true;
          const [a, b] = [Number(other), Number(value)];
          return Number.isNaN(a) || Number.isNaN(b) || (strictly ? b > a : b >= a);
        },
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be ${strictly ? 'after' : 'at least'} ${lower}`,
      },
    },
    options,
  );
}

/** A positive int8 (bigint column) value, as text. */
export function isDatabaseId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= 9_223_372_036_854_775_807n;
}

/** A positive int8 id, as text: `/api/events/41`. */
export function IsDatabaseId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDatabaseId',
      validator: {
        validate: isDatabaseId,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be a positive whole number (an id)`,
      },
    },
    options,
  );
}

/**
 * A text parameter compared with stored text: given once, at most `maxLength` characters, and
 * text PostgreSQL can hold (`%00`, a NUL, cannot be a parameter of a query: it is a 400 here,
 * not a 500 there). The checks run in this order: a repeated parameter is told so first.
 */
export const QueryText = (maxLength: number) =>
  applyDecorators(
    IsString({ message: '$property must be given once, as text' }),
    MaxLength(maxLength, { message: `$property must be at most ${maxLength} characters` }),
    ValidateBy({
      name: 'isStorableText',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !value.includes('\u0000') && value.isWellFormed(),
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must not hold a NUL character (%00) or an unpaired surrogate`,
      },
    }),
  );
