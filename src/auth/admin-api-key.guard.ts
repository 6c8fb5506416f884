import { applyDecorators, CanActivate, ExecutionContext, Injectable, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
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

/**
 * Marks a controller (or route) of the admin API: rate-limited per client
 * (ADMIN_RATE_LIMIT_PER_MINUTE, before the key is even looked at), then only callers with an
 * admin API key get in.
 */
export const AdminApi = () => applyDecorators(UseGuards(ThrottlerGuard, AdminApiKeyGuard));
