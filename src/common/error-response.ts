import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

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

/** `FieldError`, for the OpenAPI document. */
export class FieldErrorDto implements FieldError {
  @ApiProperty({ description: 'Path of the offending field or parameter', example: 'ext_data.person_type' })
  field: string;

  @ApiProperty({ description: 'What is wrong with it', example: 'person_type must be one of 1, 2, 3, 4, 5' })
  message: string;
}

/** `ErrorResponse`, for the OpenAPI document. */
export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({ description: 'The HTTP status, repeated', example: 400 })
  status: number;

  @ApiProperty({ description: 'What went wrong', example: 'the request is not valid' })
  message: string;

  @ApiProperty({ type: [FieldErrorDto], description: 'One entry per offending field; empty when no field is to blame' })
  errors: FieldErrorDto[];
}
