import { applyDecorators, CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { clientAddress } from '../common/client-address';
import { ErrorResponseDto } from '../common/error-response';
import { ADMIN_CREDENTIAL_SOURCES, AdminCredentialSource, AdminPrincipal, setPrincipal } from './admin-principal';
import { AdminRateLimits, isImageRoute } from './admin-rate-limits';

/**
 * Lets a request through only when a credential source recognises its caller
 * (`Authorization: Bearer <admin API key>`, or without that header a console session cookie),
 * within that caller's rate limit, and records who it is (`principalOf`). A request without a
 * valid credential is a failed authentication of its client address: 401, or 429 once that
 * address has failed too often.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(
    @Inject(ADMIN_CREDENTIAL_SOURCES) private readonly sources: AdminCredentialSource[],
    private readonly limits: AdminRateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const principal = await this.authenticate(req);
    if (principal) {
      await this.limits.spend(principal, isImageRoute(context) ? 'images' : 'requests', res);
      setPrincipal(req, principal);
      return true;
    }
    await this.limits.fail(clientAddress(req), res);
    res.setHeader('WWW-Authenticate', 'Bearer');
    throw new UnauthorizedException('an admin API key is required: Authorization: Bearer <key>, or a console session');
  }

  private async authenticate(req: Request): Promise<AdminPrincipal | null> {
    for (const source of this.sources) {
      const principal = await source.authenticate(req);
      if (principal) return principal;
    }
    return null;
  }
}

/** The security scheme of the admin API in the OpenAPI document. */
export const ADMIN_API_SECURITY = 'admin-api-key';
/** The console's session cookie, the other way into the admin API, in the OpenAPI document. */
export const CONSOLE_SESSION_SECURITY = 'console-session';

/**
 * Marks a controller (or route) of the admin API: only authenticated callers get in, each within
 * ADMIN_RATE_LIMIT_PER_MINUTE (ADMIN_IMAGE_RATE_LIMIT_PER_MINUTE on image routes); failed
 * authentications count against their address (ADMIN_AUTH_FAILURES_PER_MINUTE). The OpenAPI
 * document shows the schemes and the 401 and 429 answers.
 */
export const AdminApi = () =>
  applyDecorators(
    UseGuards(AdminAuthGuard),
    ApiBearerAuth(ADMIN_API_SECURITY),
    ApiCookieAuth(CONSOLE_SESSION_SECURITY),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No admin API key, or a wrong one' }),
    ApiTooManyRequestsResponse({
      type: ErrorResponseDto,
      description:
        'More than ADMIN_RATE_LIMIT_PER_MINUTE requests in a minute with this key, or ADMIN_AUTH_FAILURES_PER_MINUTE failed authentications from this address',
    }),
  );
