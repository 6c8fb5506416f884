import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldError {
  /** Path of the offending field in the request, as the box names it: `ext_data.person_type`. */
  field: string;
  message: string;
}

/** The one shape of every error answer of the service, on every route. */
export interface ErrorResponse {
  status: number;
  message: string;
  errors: FieldError[];
}

/** An error answer that carries field errors, rendered as is by the exception filter. */
export class FieldErrorsException extends HttpException {
  constructor(message: string, errors: FieldError[], status: number = HttpStatus.BAD_REQUEST) {
    super({ status, message, errors } satisfies ErrorResponse, status);
  }
}
