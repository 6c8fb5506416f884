import { applyDecorators, CanActivate, ExecutionContext, Injectable, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { ErrorResponseDto } from '../common/error-response';
import { SessionService } from '../session/session.service';
import { AdminApiKeysService } from './admin-api-keys.service';
import { setPrincipal } from './admin-principal';

/**
 * Lets a request through only with `Authorization: Bearer <admin API key>` or, without an
 * Authorization header, with a console session cookie; records who it is (`principalOf`).
 */
@Injectable()
export class AdminApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: AdminApiKeysService,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const header = req.headers.authorization;
    if (header !== undefined) {
      const [scheme, key] = header.split(' ', 2);
      const keyId = scheme?.toLowerCase() === 'bearer' && key ? this.keys.keyIdOf(key) : null;
      if (keyId) {
        setPrincipal(req, { keyId, via: 'bearer' });
        return true;
      }
    } else {
      const principal = await this.sessions.authenticate(req);
      if (principal) {
        setPrincipal(req, principal);
        return true;
      }
    }
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
    throw new UnauthorizedException('an admin API key is required: Authorization: Bearer <key>, or a console session');
  }
}

/** The security scheme of the admin API in the OpenAPI document. */
export const ADMIN_API_SECURITY = 'admin-api-key';
/** The console's session cookie, the other way into the admin API, in the OpenAPI document. */
export const CONSOLE_SESSION_SECURITY = 'console-session';

/**
 * Marks a controller (or route) of the admin API: rate-limited per client
 * (ADMIN_RATE_LIMIT_PER_MINUTE, before the key is even looked at), then only callers with an
 * admin API key (or a console session) get in. The OpenAPI document shows the scheme and the 401 and 429 answers.
 */
export const AdminApi = () =>
  applyDecorators(
    UseGuards(ThrottlerGuard, AdminApiKeyGuard),
    ApiBearerAuth(ADMIN_API_SECURITY),
    ApiCookieAuth(CONSOLE_SESSION_SECURITY),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No admin API key, or a wrong one' }),
    ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'More than ADMIN_RATE_LIMIT_PER_MINUTE requests in a minute' }),
  );
