import { applyDecorators, CanActivate, ExecutionContext, Injectable, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { ErrorResponseDto } from '../common/error-response';
import { AdminApiKeysService } from './admin-api-keys.service';

/** Lets a request through only with `Authorization: Bearer <admin API key>`. */
@Injectable()
export class AdminApiKeyGuard implements CanActivate {
  constructor(private readonly keys: AdminApiKeysService) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const header = http.getRequest<Request>().headers.authorization ?? '';
    const [scheme, key] = header.split(' ', 2);
    if (scheme?.toLowerCase() === 'bearer' && key && this.keys.isValid(key)) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
    throw new UnauthorizedException('an admin API key is required: Authorization: Bearer <key>');
  }
}

/** The security scheme of the admin API in the OpenAPI document. */
export const ADMIN_API_SECURITY = 'admin-api-key';

/**
 * Marks a controller (or route) of the admin API: rate-limited per client
 * (ADMIN_RATE_LIMIT_PER_MINUTE, before the key is even looked at), then only callers with an
 * admin API key get in. The OpenAPI document shows the scheme and the 401 and 429 answers.
 */
export const AdminApi = () =>
  applyDecorators(
    UseGuards(ThrottlerGuard, AdminApiKeyGuard),
    ApiBearerAuth(ADMIN_API_SECURITY),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No admin API key, or a wrong one' }),
    ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'More than ADMIN_RATE_LIMIT_PER_MINUTE requests in a minute' }),
  );
