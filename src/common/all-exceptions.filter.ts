import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorResponse, FieldError } from './error-response';
import { isDatabaseUnavailable } from './database-errors';

/**
 * Renders every error, thrown anywhere, in the service's one error shape. Client errors keep
 * their status; a database that cannot be reached is a 503 (the box retries later); anything
 * else is logged and answered with a bare 500 that leaks nothing.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toErrorResponse(exception);
    if (response.headersSent) return;
    if (body.status === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', '5');
    response.status(body.status).json(body);
  }

  private toErrorResponse(exception: unknown): ErrorResponse {
    const bodyError = describeBodyError(exception);
    if (bodyError) return bodyError;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'string') return { status, message: payload, errors: [] };
      const { message, errors } = payload as { message?: unknown; errors?: FieldError[] };
      return {
        status,
        message: Array.isArray(message) ? message.join('; ') : String(message ?? exception.message),
        errors: Array.isArray(errors) ? errors : [],
      };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${(exception as Error).message}`);
      return { status: HttpStatus.SERVICE_UNAVAILABLE, message: 'database unavailable, retry later', errors: [] };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'internal server error', errors: [] };
  }
}

/**
 * Errors of the body parsers (body-parser, multer) reach the filter as HttpExceptions with the
 * parser's error as cause; they get a message that says what to fix.
 */
function describeBodyError(exception: unknown): ErrorResponse | undefined {
  const cause = exception instanceof Error ? (exception.cause as BodyParserError | undefined) : undefined;
  const answer = (status: number, message: string) => ({ status, message, errors: [] });
  switch (cause?.type ?? cause?.code) {
    case 'entity.parse.failed':
      return answer(HttpStatus.BAD_REQUEST, `the request body is not valid JSON: ${cause!.message}`);
    case 'entity.too.large':
      return answer(
        HttpStatus.PAYLOAD_TOO_LARGE,
        `the request body is larger than the limit of ${cause!.limit} bytes (BODY_LIMIT)`,
      );
    case 'LIMIT_FIELD_VALUE':
      return answer(HttpStatus.PAYLOAD_TOO_LARGE, `the form field ${cause!.field} is larger than BODY_LIMIT`);
    case 'LIMIT_FILE_SIZE':
      return answer(HttpStatus.PAYLOAD_TOO_LARGE, `the file ${cause!.field} is larger than IMAGE_MAX_BYTES`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return answer(HttpStatus.UNSUPPORTED_MEDIA_TYPE, cause!.message);
    default:
      return undefined;
  }
}

interface BodyParserError extends Error {
  type?: string;
  code?: string;
  limit?: number;
  field?: string;
}
