import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { FieldError, FieldErrorsException } from './error-response';

/** class-validator's error tree as a flat list of `{ field: 'ext_data.person_type', message }`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Validates the DTOs of route parameters, query strings and bodies: unknown names are refused
 * (an unknown filter is a mistake, not a no-op), values are converted to the DTO's types, and
 * errors come back in the service's error shape, naming each field.
 */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new FieldErrorsException('the request is not valid', flattenValidationErrors(errors)),
  });
}
