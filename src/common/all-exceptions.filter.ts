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
    if (body.status === (HttpStatus.SERVICE_UNAVAILABLE as number)) response.setHeader('Retry-After', '5');
    response.status(body.status).json(body);
  }

  private toErrorResponse(exception: unknown): ErrorResponse {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'string') return { status, message: payload, errors: [] };
      const { message, errors } = payload as { message?: unknown; errors?: FieldError[] };
      return {
        status,
        message: Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message,
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
